package org.opendelegate.manager.delegateapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.store.Database;
import org.opendelegate.manager.testing.Moto;
import org.opendelegate.manager.testing.StsProofs;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.protocol.DelegateApiPaths;
import org.opendelegate.protocol.ProtocolJson;
import org.opendelegate.protocol.ProtocolVersion;
import org.opendelegate.protocol.SignedStsRequest;
import org.opendelegate.testkit.FakeDelegate;
import org.opendelegate.testkit.TestHttp;

/**
 * Registration by AWS IAM identity against moto's STS: the Manager sends the delegate's presigned
 * GetCallerIdentity to its trusted endpoint and accepts only identities the group trusts; every refusal
 * carries its code, is audited and creates nothing.
 */
class IamRegistrationHttpTest {
    private static final String MANAGER_URL = "https://manager-a.example.com";
    private static final String TASK_ROLE = "arn:aws:iam::123456789012:role/opendelegate-task";

    private static Moto moto;
    private TestManager manager;
    private String groupId;

    @BeforeAll
    static void startMoto() {
        moto = Moto.start();
    }

    @AfterAll
    static void stopMoto() {
        moto.close();
    }

    @BeforeEach
    void start() {
        manager = TestManager.start(
                Map.of("OPENDELEGATE_STS_ENDPOINT", moto.endpoint(), "OPENDELEGATE_EXTERNAL_URL", MANAGER_URL + "/"));
        // The group exists (IAM registration never creates one) and trusts the task role.
        assertThat(manager.delegate("seed", "ecs-iam").register().status()).isEqualTo(200);
        groupId = manager.api()
                .get("/api/v1/delegate-groups")
                .json()
                .get("groups")
                .get(0)
                .get("id")
                .asText();
        TestHttp.Response set = manager.api().put(trustedPath(), Map.of("trustedIdentities", List.of(TASK_ROLE)));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(texts(set.json().get("trustedIdentities")))
                .containsExactly("arn:aws:sts::123456789012:assumed-role/opendelegate-task/*");
    }

    @AfterEach
    void stop() {
        manager.close();
    }

    @Test
    void aDelegateWithATrustedTaskRoleRegistersWithoutAToken() {
        TestHttp.Response r = registerWith(proof(TASK_ROLE, MANAGER_URL, Instant.now()), "ecs-iam");

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode listed = manager.api()
                .get("/api/v1/delegates/" + r.json().get("delegateId").asText())
                .json();
        assertThat(listed.get("groupName").asText()).isEqualTo("ecs-iam");
        assertThat(listed.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(audit())
                .anyMatch(a -> a.startsWith("iam:arn:aws:sts::123456789012:assumed-role/opendelegate-task/")
                        && a.contains("delegate.registered"));
    }

    @Test
    void anotherAccountsRoleOfTheSameNameIsRefusedNamingWhatItSawAndWhatIsTrusted() {
        TestHttp.Response r = registerWith(
                proof("arn:aws:iam::111111111111:role/opendelegate-task", MANAGER_URL, Instant.now()), "ecs-iam");

        assertRefused(r, 403, "IAM_IDENTITY_NOT_TRUSTED");
        assertThat(r.json().get("detail").asText())
                .contains("arn:aws:sts::111111111111:assumed-role/opendelegate-task/")
                .contains("arn:aws:sts::123456789012:assumed-role/opendelegate-task/*");
        assertThat(r.json().get("identity").asText()).startsWith("arn:aws:sts::111111111111:");
    }

    @Test
    void anotherRoleOfTheTrustedAccountIsRefused() {
        TestHttp.Response r = registerWith(
                proof("arn:aws:iam::123456789012:role/some-other-task", MANAGER_URL, Instant.now()), "ecs-iam");

        assertRefused(r, 403, "IAM_IDENTITY_NOT_TRUSTED");
        assertThat(r.json().get("detail").asText()).contains("assumed-role/some-other-task/");
    }

    @Test
    void aProofSignedForAnotherManagerIsNotAcceptedHere() {
        TestHttp.Response r = registerWith(proof(TASK_ROLE, "https://manager-b.example.com", Instant.now()), "ecs-iam");

        assertRefused(r, 403, "IAM_WRONG_MANAGER");
        assertThat(r.json().get("detail").asText()).contains("manager-b.example.com");
    }

    @Test
    void aProofOlderThanFifteenMinutesIsRefusedBeforeStsIsAsked() {
        TestHttp.Response r =
                registerWith(proof(TASK_ROLE, MANAGER_URL, Instant.now().minus(Duration.ofMinutes(16))), "ecs-iam");

        assertRefused(r, 401, "IAM_SIGNATURE_STALE");
    }

    @Test
    void aProofSignedForAnotherStsEndpointIsNeverSentAnywhere() {
        StsProofs.Credentials role = moto.assumeRole(TASK_ROLE, "t");
        SignedStsRequest forAws =
                StsProofs.sign(role, "sts.us-east-1.amazonaws.com", "us-east-1", MANAGER_URL, Instant.now());

        TestHttp.Response r = registerWith(forAws, "ecs-iam");

        assertRefused(r, 403, "IAM_STS_ENDPOINT_NOT_TRUSTED");
        assertThat(r.json().get("detail").asText()).contains(moto.endpoint());
    }

    @Test
    void aGroupThatDoesNotExistIsNotCreated() {
        TestHttp.Response r = registerWith(proof(TASK_ROLE, MANAGER_URL, Instant.now()), "no-such-group");

        assertRefused(r, 403, "IAM_IDENTITY_NOT_TRUSTED");
        assertThat(manager.api().get("/api/v1/delegate-groups").json().get("groups"))
                .hasSize(1);
    }

    @Test
    void aProofThatIsNotAGetCallerIdentityIsRefused() {
        SignedStsRequest good = proof(TASK_ROLE, MANAGER_URL, Instant.now());
        SignedStsRequest other = new SignedStsRequest(
                "POST", good.url(), good.headers(), "Action=AssumeRole&Version=2011-06-15&RoleArn=x");

        assertRefused(registerWith(other, "ecs-iam"), 401, "IAM_SIGNATURE_INVALID");
    }

    @Test
    void aProofWithAHeaderWithoutAValueIsAFieldErrorThatNamesTheField() throws Exception {
        ObjectNode registration = ProtocolJson.mapper().valueToTree(FakeDelegate.registration("ecs-task-1", "ecs-iam"));
        registration
                .putObject("awsIdentity")
                .put("method", "POST")
                .putObject("headers")
                .putNull("X-Amz-Date");

        TestHttp.Response r = noToken().postRaw(DelegateApiPaths.REGISTER, "application/json", registration.toString());

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("awsIdentity");
        assertThat(r.body()).contains("without a name or a value").doesNotContain("java.lang");
    }

    @Test
    void trustedIdentitiesAreCheckedFieldByField() {
        TestHttp.Response r = manager.api()
                .put(trustedPath(), Map.of("trustedIdentities", List.of(TASK_ROLE, "arn:aws:iam::12345:role/x", "*")));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("trustedIdentities[1]").contains("trustedIdentities[2]");
        assertThat(manager.api().get(trustedPath()).json().get("trustedIdentities"))
                .hasSize(1);
        assertThat(manager.api().put(trustedPath(), Map.of()).status()).isEqualTo(400);
    }

    private void assertRefused(TestHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().get("code").asText()).isEqualTo(code);
        assertThat(manager.api().get("/api/v1/delegates").json().get("delegates"))
                .hasSize(1); // only the seed
        assertThat(audit()).anyMatch(a -> a.contains("delegate.refused") && a.contains("code=" + code));
    }

    private SignedStsRequest proof(String roleArn, String managerId, Instant at) {
        return StsProofs.sign(moto.assumeRole(roleArn, "task-1"), moto.host(), "us-east-1", managerId, at);
    }

    private TestHttp.Response registerWith(SignedStsRequest proof, String group) {
        Map<String, Object> registration = FakeDelegate.registration("ecs-task-1", group);
        registration.put("awsIdentity", proof);
        return noToken().post(DelegateApiPaths.REGISTER, registration);
    }

    /** Delegate API calls with the account and protocol headers and no Authorization. */
    private TestHttp noToken() {
        return new TestHttp(
                manager.url(),
                Map.of(
                        DelegateApiPaths.ACCOUNT_HEADER,
                        TestManager.ACCOUNT_ID,
                        ProtocolVersion.HEADER,
                        String.valueOf(ProtocolVersion.CURRENT)));
    }

    private String trustedPath() {
        return "/api/v1/delegate-groups/" + groupId + "/trusted-identities";
    }

    private List<String> audit() {
        try (Database db = Database.open(manager.server().config().store())) {
            return db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT actor || ' ' || action || ' ' || COALESCE(detail, '') "
                                    + "FROM audit_event ORDER BY id")
                            .mapTo(String.class)
                            .list());
        }
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
