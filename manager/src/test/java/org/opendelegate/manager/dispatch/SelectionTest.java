package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opendelegate.manager.delegates.EffectiveSelectors;
import org.opendelegate.manager.delegates.ProfileState;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateAffinity;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.GroupScopes;
import org.opendelegate.manager.store.ProfileRun;
import org.opendelegate.manager.store.ProfileVersion;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.ProfileRunStatus;

/** The routing rules, table by table: who is eligible, why not, and who is chosen. */
class SelectionTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);

    static Stream<Arguments> eligibility() {
        return Stream.of(
                Arguments.of(
                        "selectors match case-insensitively",
                        delegate("d1", "g", List.of("ECS-Prod")),
                        task(List.of("ecs-prod"), Map.of()),
                        null),
                Arguments.of(
                        "the group name is an implicit selector",
                        delegate("d1", "payments", List.of()),
                        task(List.of("payments"), Map.of()),
                        null),
                Arguments.of(
                        "the delegate name is an implicit selector",
                        delegate("Build-7", "g", List.of()),
                        task(List.of("build-7"), Map.of()),
                        null),
                Arguments.of(
                        "a missing selector is named",
                        delegate("d1", "g", List.of("ecs")),
                        task(List.of("ecs", "prod"), Map.of()),
                        "selector `prod` missing"),
                Arguments.of(
                        "several missing selectors are named",
                        delegate("d1", "g", List.of()),
                        task(List.of("a", "b"), Map.of()),
                        "selectors `a`, `b` missing"),
                Arguments.of(
                        "a disconnected delegate says since when",
                        disconnected("d1", Duration.ofMinutes(4)),
                        task(List.of(), Map.of()),
                        "not connected (disconnected 4 min ago)"),
                Arguments.of(
                        "an unsupported type is named",
                        delegate("d1", "g", List.of()),
                        taskOfType("helm"),
                        "does not support task type `helm`"),
                Arguments.of(
                        "an exclude scope rejects",
                        scoped(List.of(), List.of(Map.of("environmentType", "PROD"))),
                        task(List.of(), Map.of("environmentType", "PROD")),
                        "scope `environmentType=PROD` excluded"),
                Arguments.of(
                        "any include scope admits",
                        scoped(List.of(Map.of("application", "billing"), Map.of("application", "payments")), List.of()),
                        task(List.of(), Map.of("application", "payments")),
                        null),
                Arguments.of(
                        "all fields of a scope must match",
                        scoped(List.of(Map.of("application", "payments", "environmentType", "PROD")), List.of()),
                        task(List.of(), Map.of("application", "payments", "environmentType", "NON_PROD")),
                        "no include scope matches application=payments, environmentType=NON_PROD "
                                + "(includes: application=payments, environmentType=PROD)"),
                Arguments.of(
                        "'*' matches anything",
                        scoped(List.of(Map.of("application", "*", "environmentType", "NON_PROD")), List.of()),
                        task(List.of(), Map.of("application", "anything", "environmentType", "NON_PROD")),
                        null),
                Arguments.of(
                        "'*' needs the dimension to exist? no: it matches a missing one too",
                        scoped(List.of(Map.of("application", "*")), List.of()),
                        task(List.of(), Map.of("environmentType", "PROD")),
                        null),
                Arguments.of(
                        "exclude wins over include",
                        scoped(List.of(Map.of("application", "*")), List.of(Map.of("environment", "prod-east"))),
                        task(List.of(), Map.of("application", "a", "environment", "PROD-EAST")),
                        "scope `environment=prod-east` excluded"),
                Arguments.of(
                        "a task without a scope target is not restricted",
                        scoped(List.of(Map.of("environmentType", "PROD")), List.of()),
                        task(List.of(), Map.of()),
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eligibility")
    void eligibility(String rule, ResolvedDelegate delegate, Task task, String expectedReason) {
        Optional<String> reason = Eligibility.exclusion(delegate, task, context(Map.of(), Set.of()));

        assertThat(reason.orElse(null)).as(rule).isEqualTo(expectedReason);
    }

    static Stream<Arguments> profileEligibility() {
        return Stream.of(
                Arguments.of(
                        "a required profile that succeeded admits", true, run(3, ProfileRunStatus.SUCCEEDED, 0), null),
                Arguments.of(
                        "a required profile that failed names profile, version and exit code",
                        true,
                        run(3, ProfileRunStatus.FAILED, 2),
                        "profile `Build Tools` v3 failed (exit 2); not eligible until a run succeeds"),
                Arguments.of(
                        "a required profile that timed out says after how long",
                        true,
                        run(3, ProfileRunStatus.TIMED_OUT, null),
                        "profile `Build Tools` v3 timed out after 600 s; not eligible until a run succeeds"),
                Arguments.of(
                        "a required profile still running says since when",
                        true,
                        run(3, ProfileRunStatus.RUNNING, null),
                        "profile `Build Tools` v3 is still running (started 20 s ago); not eligible until a run "
                                + "succeeds"),
                Arguments.of(
                        "a required profile not reported yet blocks",
                        true,
                        null,
                        "profile `Build Tools` v3 has not run yet; not eligible until a run succeeds"),
                Arguments.of(
                        "success of an earlier version does not count",
                        true,
                        run(2, ProfileRunStatus.SUCCEEDED, 0),
                        "profile `Build Tools` v3 has not run yet; not eligible until a run succeeds"),
                Arguments.of(
                        "an optional profile that failed never blocks",
                        false,
                        run(3, ProfileRunStatus.FAILED, 1),
                        null),
                Arguments.of("an optional profile not run yet never blocks", false, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profileEligibility")
    void profileEligibility(String rule, boolean required, ProfileRun lastRun, String expectedReason) {
        ResolvedDelegate plain = delegate("d1", "g", List.of());
        ProfileVersion v3 = new ProfileVersion(
                "p1", 3, "a1", "Build Tools", "", "echo", List.of("tools"), required, 600, "admin", NOW);
        ResolvedDelegate d = new ResolvedDelegate(
                plain.delegate(), plain.group(), plain.selectors(), new ProfileState("Primary", v3, true, lastRun));

        assertThat(Eligibility.exclusion(d, task(List.of(), Map.of()), context(Map.of(), Set.of()))
                        .orElse(null))
                .as(rule)
                .isEqualTo(expectedReason);
    }

    @Test
    void aProfileFailureIsNamedAfterMissingSelectorsAndInTheNoEligibleMessage() {
        ResolvedDelegate plain = delegate("d1", "g", List.of("ecs"));
        ProfileVersion v1 =
                new ProfileVersion("p1", 1, "a1", "Build Tools", "", "exit 2", List.of(), true, 600, "admin", NOW);
        ResolvedDelegate failed = new ResolvedDelegate(
                plain.delegate(),
                plain.group(),
                plain.selectors(),
                new ProfileState(
                        "Build Tools",
                        v1,
                        false,
                        new ProfileRun(
                                "d1",
                                "a1",
                                "p1",
                                "Build Tools",
                                1,
                                "r",
                                ProfileRunStatus.FAILED,
                                2,
                                NOW,
                                NOW,
                                NOW,
                                0)));

        assertThat(Eligibility.exclusion(failed, task(List.of("prod"), Map.of()), context(Map.of(), Set.of())))
                .contains("selector `prod` missing");
        assertThat(NoEligibleMessage.of(task(List.of("ecs"), Map.of()), List.of(failed), context(Map.of(), Set.of())))
                .isEqualTo("no connected delegate is eligible; `d1` is connected but profile `Build Tools` v1 failed "
                        + "(exit 2); not eligible until a run succeeds.");
    }

    private static ProfileRun run(int version, ProfileRunStatus status, Integer exitCode) {
        return new ProfileRun(
                "d1",
                "a1",
                "p1",
                "Build Tools",
                version,
                "r1",
                status,
                exitCode,
                NOW.minusSeconds(20),
                status.isFinal() ? NOW : null,
                NOW,
                0);
    }

    @Test
    void aRecentCapabilityFailureWithTheAffinityKeyExcludesUntilItAgesOutOrASuccessFollows() {
        ResolvedDelegate d = delegate("d1", "g", List.of());
        Task task = withAffinity(task(List.of(), Map.of()), "aws-prod");
        var failed2MinAgo = new DelegateAffinity("d1", null, NOW.minusSeconds(120), "no credentials");
        var failed6MinAgo = new DelegateAffinity("d1", null, NOW.minusSeconds(360), "no credentials");
        var succeededSince = new DelegateAffinity("d1", NOW.minusSeconds(60), NOW.minusSeconds(120), "x");

        assertThat(Eligibility.exclusion(d, task, context(Map.of("d1", failed2MinAgo), Set.of())))
                .contains("could not act for `aws-prod` 2 min ago and is not tried again for a while: no credentials");
        assertThat(Eligibility.exclusion(d, task, context(Map.of("d1", failed6MinAgo), Set.of())))
                .isEmpty();
        assertThat(Eligibility.exclusion(d, task, context(Map.of("d1", succeededSince), Set.of())))
                .isEmpty();
    }

    @Test
    void theLeastLoadedFreeDelegateIsChosenAndEveryCandidateIsExplained() {
        List<ResolvedDelegate> delegates = List.of(
                delegate("busy", "g", List.of()),
                delegate("idle", "g", List.of()),
                delegate("full", "g", List.of()),
                delegate("other", "g", List.of("x")),
                delegate("quiet", "g", List.of()));
        Map<String, Selection.Load> loads = new HashMap<>();
        loads.put("busy", new Selection.Load(3, 4, true));
        loads.put("idle", new Selection.Load(0, 4, true));
        loads.put("full", new Selection.Load(4, 4, false));
        loads.put("quiet", new Selection.Load(1, 4, false));

        SelectionLog log = Selection.choose(
                task(List.of(), Map.of()),
                delegates,
                loads,
                context(Map.of(), Set.of()),
                "SUBMITTED",
                new SplittableRandom(1));

        assertThat(log.chosen().name()).isEqualTo("idle");
        assertThat(log.chosen().reason()).contains("least loaded of 2 eligible delegates with a free slot");
        assertThat(reasons(log))
                .containsEntry("full", "eligible, at capacity (4 of 4 running)")
                .containsEntry("quiet", "eligible, not asking for work at this moment (1 of 4 running)")
                .containsEntry("busy", "eligible (3 of 4 running)");
    }

    @Test
    void delegatesThatLackTheSelectorsInDifferentWaysEachGetTheirOwnReasonInOneDecision() {
        List<ResolvedDelegate> delegates = List.of(
                delegate("has-a", "g", List.of("a")),
                delegate("has-b", "g", List.of("b")),
                delegate("has-none", "g", List.of()),
                delegate("has-none-too", "g", List.of()),
                delegate("has-a-again", "g", List.of("a", "c")),
                delegate("has-both", "g", List.of("b", "a")));

        SelectionLog log = Selection.choose(
                task(List.of("a", "b"), Map.of()),
                delegates,
                Map.of(),
                context(Map.of(), Set.of()),
                "SUBMITTED",
                new SplittableRandom(1));

        assertThat(reasons(log))
                .containsEntry("has-a", "selector `b` missing")
                .containsEntry("has-b", "selector `a` missing")
                .containsEntry("has-none", "selectors `a`, `b` missing")
                .containsEntry("has-none-too", "selectors `a`, `b` missing")
                .containsEntry("has-a-again", "selector `b` missing")
                .containsEntry("has-both", "eligible, not asking for work at this moment (0 of 4 running)");
        assertThat(log.excluded())
                .extracting(SelectionLog.ReasonCount::reason, SelectionLog.ReasonCount::count)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("selector `b` missing", 2),
                        org.assertj.core.groups.Tuple.tuple("selector `a` missing", 1),
                        org.assertj.core.groups.Tuple.tuple("selectors `a`, `b` missing", 2));
    }

    @Test
    void aTaskWithAsManySelectorsAsAPatternHoldsOrMoreStillNamesEachMissingOne() {
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            wanted.add("s" + i);
        }
        ResolvedDelegate most = delegate("most", "g", wanted.subList(0, 68));
        ResolvedDelegate all = delegate("all", "g", wanted);

        assertThat(Eligibility.exclusion(most, task(wanted, Map.of()), context(Map.of(), Set.of())))
                .contains("selectors `s68`, `s69` missing");
        assertThat(Eligibility.exclusion(all, task(wanted, Map.of()), context(Map.of(), Set.of())))
                .isEmpty();
        // Exactly as many as a pattern holds: the last one counts too.
        assertThat(Eligibility.exclusion(most, task(wanted.subList(0, 64), Map.of()), context(Map.of(), Set.of())))
                .isEmpty();
        ResolvedDelegate allButLast = delegate("all-but-last", "g", wanted.subList(0, 63));
        assertThat(Eligibility.exclusion(
                        allButLast, task(wanted.subList(0, 64), Map.of()), context(Map.of(), Set.of())))
                .contains("selector `s63` missing");
    }

    @Test
    void aRecentSuccessWithTheAffinityKeyBeatsALighterLoad() {
        List<ResolvedDelegate> delegates =
                List.of(delegate("light", "g", List.of()), delegate("known", "g", List.of()));
        Map<String, Selection.Load> loads =
                Map.of("light", new Selection.Load(0, 4, true), "known", new Selection.Load(2, 4, true));
        Map<String, DelegateAffinity> history =
                Map.of("known", new DelegateAffinity("known", NOW.minusSeconds(180), null, null));

        SelectionLog log = Selection.choose(
                withAffinity(task(List.of(), Map.of()), "aws-prod"),
                delegates,
                loads,
                context(history, Set.of()),
                "SUBMITTED",
                new SplittableRandom(1));

        assertThat(log.chosen().name()).isEqualTo("known");
        assertThat(log.chosen().reason()).contains("it succeeded with `aws-prod` 3 min ago");
    }

    @Test
    void aDelegateThatFailedThisTaskIsUsedOnlyWhenNoOtherIsFree() {
        List<ResolvedDelegate> delegates = List.of(delegate("dead", "g", List.of()), delegate("fresh", "g", List.of()));
        Map<String, Selection.Load> bothFree =
                Map.of("dead", new Selection.Load(0, 4, true), "fresh", new Selection.Load(3, 4, true));
        Map<String, Selection.Load> onlyDead =
                Map.of("dead", new Selection.Load(0, 4, true), "fresh", new Selection.Load(4, 4, true));

        assertThat(Selection.choose(
                                task(List.of(), Map.of()),
                                delegates,
                                bothFree,
                                context(Map.of(), Set.of("dead")),
                                "REQUEUED",
                                new SplittableRandom(1))
                        .chosen()
                        .name())
                .isEqualTo("fresh");
        SelectionLog retry = Selection.choose(
                task(List.of(), Map.of()),
                delegates,
                onlyDead,
                context(Map.of(), Set.of("dead")),
                "REQUEUED",
                new SplittableRandom(1));
        assertThat(retry.chosen().name()).isEqualTo("dead");
        assertThat(retry.chosen().reason()).startsWith("retrying where an earlier attempt failed");
    }

    @Test
    void withNobodyFreeTheLogSaysWhoIsWaitingAndWhy() {
        List<ResolvedDelegate> delegates = List.of(delegate("a", "g", List.of()), delegate("b", "g", List.of("ecs")));
        SelectionLog log = Selection.choose(
                task(List.of("ecs"), Map.of()),
                delegates,
                Map.of(),
                context(Map.of(), Set.of()),
                "SUBMITTED",
                new SplittableRandom(1));

        assertThat(log.chosen()).isNull();
        assertThat(log.summary())
                .isEqualTo("Waiting: 1 eligible delegate is busy; the task goes to the first that " + "frees a slot.");
        assertThat(log.candidates().get(0).name()).as("eligible first").isEqualTo("b");
    }

    private static Map<String, String> reasons(SelectionLog log) {
        Map<String, String> result = new HashMap<>();
        log.candidates().forEach(c -> result.put(c.name(), c.reason()));
        return result;
    }

    private static SelectionContext context(Map<String, DelegateAffinity> affinity, Set<String> failedBefore) {
        return new SelectionContext(NOW, WINDOW, Duration.ofMinutes(5), affinity, failedBefore);
    }

    static ResolvedDelegate delegate(String name, String group, List<String> selectors) {
        return entry(name, group, selectors, GroupScopes.NONE, NOW, null);
    }

    static ResolvedDelegate disconnected(String name, Duration since) {
        return entry(name, "g", List.of(), GroupScopes.NONE, NOW.minus(since).minus(WINDOW), null);
    }

    static ResolvedDelegate scoped(List<Map<String, String>> include, List<Map<String, String>> exclude) {
        return entry("d1", "g", List.of(), new GroupScopes(include, exclude), NOW, null);
    }

    private static ResolvedDelegate entry(
            String name,
            String groupName,
            List<String> selectors,
            GroupScopes scopes,
            Instant lastHeartbeat,
            Instant disconnectedAt) {
        DelegateGroup group = new DelegateGroup("g-" + groupName, "a1", groupName, List.of(), scopes, false, NOW, NOW);
        Delegate d = new Delegate(
                name,
                "a1",
                group.id(),
                name,
                name,
                null,
                DelegateType.SHELL,
                null,
                IdentityKind.STABLE,
                "0.1.0",
                "Primary",
                selectors,
                List.of("echo"),
                4,
                null,
                null,
                "i",
                "s",
                NOW,
                NOW,
                lastHeartbeat,
                disconnectedAt,
                null);
        return new ResolvedDelegate(d, group, EffectiveSelectors.of(groupName, group.selectors(), name, selectors));
    }

    static Task task(List<String> selectors, Map<String, String> scope) {
        return task("echo", selectors, scope, null);
    }

    private static Task taskOfType(String type) {
        return task(type, List.of(), Map.of(), null);
    }

    @Test
    void aCloudProvidersTaskNamesTheProviderNotItsId() {
        ResolvedDelegate d = delegate("d1", "g", List.of());
        String providerId = "5f0c7d1e-8a51-4d0e-9c3e-2b4f7a9d6e10";
        Task base = task("echo", List.of(), Map.of(), providerId);
        ((com.fasterxml.jackson.databind.node.ObjectNode) base.payload())
                .put("providerId", providerId)
                .put("providerName", "aws-prod");
        var failed = new DelegateAffinity("d1", null, NOW.minusSeconds(120), "no credentials");

        assertThat(Eligibility.exclusion(d, base, context(Map.of("d1", failed), Set.of())))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("could not act for cloud provider `aws-prod` 2 min ago")
                        .doesNotContain(providerId));
    }

    private static Task withAffinity(Task t, String key) {
        return task(t.type(), t.selectors(), t.scope(), key);
    }

    private static Task task(String type, List<String> selectors, Map<String, String> scope, String affinityKey) {
        return Task.queued(
                "t1",
                "a1",
                new Task.Spec(
                        type,
                        JsonNodeFactory.instance.objectNode(),
                        new ArrayList<>(selectors),
                        scope,
                        affinityKey,
                        null,
                        3,
                        60_000,
                        false,
                        "api"),
                "test",
                NOW);
    }
}
