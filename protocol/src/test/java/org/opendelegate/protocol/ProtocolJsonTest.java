package org.opendelegate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolJsonTest {

    @Test
    void registrationSurvivesARoundTrip() throws Exception {
        var ecs = new EcsIdentity(
                "arn:aws:ecs:us-east-1:123456789012:task/c/abc",
                "c",
                "abc123",
                "ecs-delegate",
                "awsvpc",
                "FARGATE",
                "us-east-1a",
                "opendelegate-task-spec",
                "3");
        var request = new RegisterRequest(
                "i-1",
                "abc123",
                "ecs-prod",
                "Primary",
                List.of("ecs"),
                DelegateType.ECS,
                "FARGATE",
                IdentityKind.EPHEMERAL,
                "ip-10-0-0-1",
                "10.0.0.1",
                "0.1.0",
                8,
                List.of("echo"),
                ecs,
                List.of());

        String json = ProtocolJson.mapper().writeValueAsString(request);

        assertThat(ProtocolJson.mapper().readValue(json, RegisterRequest.class)).isEqualTo(request);
    }

    @Test
    void instantsAreIsoStringsAndNullsAreLeftOut() throws Exception {
        var line = new LogLine(Instant.parse("2026-01-02T03:04:05Z"), "hello");
        var error = new TaskError(ErrorKind.TASK, null);

        assertThat(ProtocolJson.mapper().writeValueAsString(line))
                .isEqualTo("{\"at\":\"2026-01-02T03:04:05Z\",\"text\":\"hello\"}");
        assertThat(ProtocolJson.mapper().writeValueAsString(error)).isEqualTo("{\"kind\":\"TASK\"}");
    }

    @Test
    void theStrictMapperRefusesUnknownFieldsAndTheTolerantReaderIgnoresThem() throws Exception {
        String newer = "{\"heartbeatIntervalMillis\":10000,\"cancelTaskIds\":[],\"lostTaskIds\":[],\"futureField\":1}";

        assertThatThrownBy(() -> ProtocolJson.mapper().readValue(newer, HeartbeatResponse.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
        assertThat(ProtocolJson.tolerantReader()
                        .readValue(newer, HeartbeatResponse.class)
                        .heartbeatIntervalMillis())
                .isEqualTo(10000);
    }

    @Test
    void pathsNameTheTask() {
        assertThat(DelegateApiPaths.OUTCOMES).isEqualTo("/api/delegate/v1/outcomes");
        assertThat(DelegateApiPaths.taskProgress("t-1")).isEqualTo("/api/delegate/v1/tasks/t-1/progress");
    }

    @Test
    void aProfileAssignmentTravelsInRegistrationAndHeartbeatAnswersAndOlderAnswersStillRead() throws Exception {
        var assignment = new ProfileAssignment("p-1", "Build Tools", 3, "echo hi\n", 600_000, true);
        var heartbeat = new HeartbeatResponse(10_000, List.of(), List.of()).withProfile(assignment);

        String json = ProtocolJson.mapper().writeValueAsString(heartbeat);

        assertThat(ProtocolJson.mapper()
                        .readValue(json, HeartbeatResponse.class)
                        .profile())
                .isEqualTo(assignment);
        assertThat(ProtocolJson.tolerantReader()
                        .readValue(
                                "{\"heartbeatIntervalMillis\":1,\"cancelTaskIds\":[]," + "\"lostTaskIds\":[]}",
                                HeartbeatResponse.class)
                        .profile())
                .isNull();
        assertThat(ProtocolJson.mapper().writeValueAsString(assignment.withoutScript()))
                .doesNotContain("script");
        assertThat(assignment.sameVersionAs(assignment.withoutScript())).isTrue();
        assertThat(assignment.sameVersionAs(new ProfileAssignment("p-1", "Build Tools", 4, "", 1, true)))
                .isFalse();
    }

    @Test
    void aProfileRunReportSurvivesARoundTrip() throws Exception {
        var report = new ProfileRunReport(
                "d-1",
                "s-1",
                "p-1",
                3,
                "r-1",
                ProfileRunStatus.FAILED,
                2,
                Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:04:07Z"),
                4,
                List.of(new LogLine(Instant.parse("2026-01-02T03:04:06Z"), "no such file")));

        String json = ProtocolJson.mapper().writeValueAsString(report);

        assertThat(ProtocolJson.mapper().readValue(json, ProfileRunReport.class))
                .isEqualTo(report);
        assertThat(DelegateApiPaths.PROFILE_RUN).isEqualTo("/api/delegate/v1/profile-run");
        assertThat(ProfileRunStatus.RUNNING.isFinal()).isFalse();
        assertThat(ProfileRunStatus.TIMED_OUT.isFinal()).isTrue();
    }

    @Test
    void anAssignmentCarriesSecretsOnTheWireButNeverInItsTextForm() throws Exception {
        var secrets = ProtocolJson.mapper().createObjectNode().put("secretAccessKey", "wJalrXUtnFEMI/K7MDENG");
        var assignment = new TaskAssignment(
                "t-1",
                "aws.vpcs",
                ProtocolJson.mapper().createObjectNode(),
                1,
                1,
                30_000,
                60_000,
                secrets,
                "odl_lease");

        String json = ProtocolJson.mapper().writeValueAsString(assignment);

        assertThat(ProtocolJson.tolerantReader()
                        .readValue(json, TaskAssignment.class)
                        .secrets())
                .isEqualTo(secrets);
        assertThat(assignment.toString())
                .doesNotContain("wJalrXUtnFEMI")
                .doesNotContain("odl_lease")
                .contains("[1 hidden]");
        assertThat(ProtocolJson.mapper().writeValueAsString(new TaskAssignment("t-2", "echo", null, 1, 1, 1, 1)))
                .doesNotContain("secrets");
    }

    @Test
    void aRegistrationAnswerCarriesTheSessionCredentialOnTheWireButNeverInItsTextForm() throws Exception {
        var answer = new RegisterResponse("d-1", "s-1", "g-1", "n", 1, 1, 1, java.util.List.of(), null, "ods_secret");

        String json = ProtocolJson.mapper().writeValueAsString(answer);

        assertThat(ProtocolJson.tolerantReader()
                        .readValue(json, RegisterResponse.class)
                        .sessionToken())
                .isEqualTo("ods_secret");
        assertThat(answer.toString()).doesNotContain("ods_secret");
        assertThat(ProtocolVersion.CURRENT).isEqualTo(2);
    }
}
