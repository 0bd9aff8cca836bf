package org.opendelegate.manager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.delegates.EffectiveSelectors;
import org.opendelegate.manager.delegates.ResolvedDelegate;
import org.opendelegate.manager.store.Delegate;
import org.opendelegate.manager.store.DelegateGroup;
import org.opendelegate.manager.store.GroupScopes;
import org.opendelegate.manager.store.Task;
import org.opendelegate.protocol.DelegateType;
import org.opendelegate.protocol.IdentityKind;
import org.opendelegate.protocol.TaskTypes;

/**
 * The routing rule for tasks that carry secrets: only selectors an admin granted (the group's selectors,
 * the group name, a profile the group assigns) route them; what a delegate declares about itself does not.
 */
class TrustedSelectorRoutingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final SelectionContext CONTEXT =
            new SelectionContext(NOW, Duration.ofSeconds(30), Duration.ofMinutes(5), Map.of(), Set.of());

    private final ResolvedDelegate rogue = delegate("rogue", "rogues", List.of(), List.of("aws-prod"));
    private final ResolvedDelegate legit = delegate("legit", "prod", List.of("aws-prod"), List.of());

    @Test
    void aSelfDeclaredSelectorDoesNotRouteATaskWithSecretsAndTheReasonSaysSo() {
        assertThat(Eligibility.exclusion(rogue, secretTask("aws-prod"), CONTEXT))
                .contains("`aws-prod` is only self-declared by this delegate; tasks that carry secrets need it "
                        + "from its group");
    }

    @Test
    void aSelfDeclaredSelectorStillRoutesATaskWithoutSecrets() {
        assertThat(Eligibility.exclusion(rogue, task("aws-prod"), CONTEXT)).isEmpty();
    }

    @Test
    void aSelectorFromTheGroupRoutesATaskWithSecrets() {
        assertThat(Eligibility.exclusion(legit, secretTask("aws-prod"), CONTEXT))
                .isEmpty();
    }

    @Test
    void theGroupNameIsTrustedAndTheDelegateNameIsNot() {
        assertThat(Eligibility.exclusion(legit, secretTask("prod"), CONTEXT)).isEmpty();
        assertThat(Eligibility.exclusion(legit, secretTask("legit"), CONTEXT))
                .contains("`legit` is only self-declared by this delegate; tasks that carry secrets need it "
                        + "from its group");
    }

    @Test
    void aProfileTheGroupAssignsIsTrustedAndOneTheDelegatePickedIsNot() {
        ResolvedDelegate viaGroup = withProfile("tools-1", List.of("terraform"), true);
        ResolvedDelegate ownPick = withProfile("tools-2", List.of("terraform"), false);

        assertThat(Eligibility.exclusion(viaGroup, secretTask("terraform"), CONTEXT))
                .isEmpty();
        assertThat(Eligibility.exclusion(ownPick, secretTask("terraform"), CONTEXT))
                .contains("`terraform` is only self-declared by this delegate; tasks that carry secrets need it "
                        + "from its group");
        assertThat(Eligibility.exclusion(ownPick, task("terraform"), CONTEXT)).isEmpty();
    }

    @Test
    void missingAndSelfDeclaredSelectorsAreBothNamed() {
        Optional<String> reason = Eligibility.exclusion(rogue, secretTask("aws-prod", "eu"), CONTEXT);

        assertThat(reason)
                .contains("selector `eu` missing; `aws-prod` is only self-declared by this delegate; tasks that "
                        + "carry secrets need it from its group");
    }

    @Test
    void aTaskWithSecretsAlwaysGoesToTheDelegateThatHasTheSelectorFromItsGroup() {
        Map<String, Selection.Load> loads = Map.of(
                // The rogue is idle and the legitimate delegate busy: load must not tip the balance.
                rogue.id(), new Selection.Load(0, 4, true), legit.id(), new Selection.Load(3, 4, true));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            SelectionLog log = Selection.choose(
                    secretTask("aws-prod"), List.of(rogue, legit), loads, CONTEXT, "SUBMITTED", random);

            assertThat(log.chosen().name()).isEqualTo("legit");
            assertThat(log.candidates())
                    .filteredOn(c -> c.name().equals("rogue"))
                    .singleElement()
                    .satisfies(c -> {
                        assertThat(c.eligible()).isFalse();
                        assertThat(c.reason()).contains("only self-declared");
                    });
        }
    }

    @Test
    void inOneDecisionASelfDeclaredSelectorAndAMissingOneAreToldApart() {
        ResolvedDelegate stranger = delegate("stranger", "others", List.of(), List.of());
        ResolvedDelegate rogueToo = delegate("rogue-2", "rogues", List.of(), List.of("aws-prod"));

        SelectionLog log = Selection.choose(
                secretTask("aws-prod"),
                List.of(rogue, stranger, rogueToo, legit),
                Map.of(legit.id(), new Selection.Load(0, 4, true)),
                CONTEXT,
                "SUBMITTED",
                new SplittableRandom(3));

        assertThat(log.chosen().name()).isEqualTo("legit");
        Map<String, String> reasons = new java.util.HashMap<>();
        log.candidates().forEach(c -> reasons.put(c.name(), c.reason()));
        String selfDeclared =
                "`aws-prod` is only self-declared by this delegate; tasks that carry secrets need it from its group";
        assertThat(reasons)
                .containsEntry("rogue", selfDeclared)
                .containsEntry("rogue-2", selfDeclared)
                .containsEntry("stranger", "selector `aws-prod` missing");
    }

    @Test
    void theNoEligibleMessageSaysTheSelectorMustComeFromTheGroup() {
        String message = NoEligibleMessage.of(secretTask("aws-prod"), List.of(rogue), CONTEXT);

        assertThat(message)
                .startsWith("no connected delegate has selector `aws-prod` from its group (the task carries "
                        + "secrets, so selectors a delegate declares about itself do not count)")
                .contains("`rogue` is connected but `aws-prod` is only self-declared by this delegate");
    }

    @Test
    void aShellScriptWithoutSecretsIsStillRoutedOnlyByTrustedSelectorsAndTheReasonSaysWhy() {
        assertThat(Eligibility.carriesSecrets(script("aws-prod"))).isTrue();
        assertThat(Eligibility.exclusion(rogue, script("aws-prod"), CONTEXT))
                .contains("`aws-prod` is only self-declared by this delegate; shell scripts (which run with the "
                        + "delegate's identity) need it from its group");
        assertThat(Eligibility.exclusion(legit, script("aws-prod"), CONTEXT)).isEmpty();
        assertThat(NoEligibleMessage.of(script("aws-prod"), List.of(rogue), CONTEXT))
                .startsWith("no connected delegate has selector `aws-prod` from its group (a shell script runs "
                        + "with the delegate's identity, so selectors a delegate declares about itself do not count)");
    }

    @Test
    void aTaskCarriesSecretsWhenItHasSealedSecrets() {
        assertThat(Eligibility.carriesSecrets(task("x"))).isFalse();
        assertThat(Eligibility.carriesSecrets(secretTask("x"))).isTrue();
    }

    private static ResolvedDelegate withProfile(String name, List<String> profileSelectors, boolean viaGroup) {
        Delegate d = row(name, List.of());
        DelegateGroup group = group("tools");
        return new ResolvedDelegate(
                d, group, EffectiveSelectors.of(group.name(), List.of(), name, List.of(), profileSelectors, viaGroup));
    }

    private static ResolvedDelegate delegate(
            String name, String groupName, List<String> groupSelectors, List<String> ownSelectors) {
        DelegateGroup group = group(groupName).withSelectors(groupSelectors, NOW);
        return new ResolvedDelegate(
                row(name, ownSelectors), group, EffectiveSelectors.of(groupName, groupSelectors, name, ownSelectors));
    }

    private static DelegateGroup group(String name) {
        return new DelegateGroup("g-" + name, "a1", name, List.of(), GroupScopes.NONE, false, NOW, NOW);
    }

    private static Delegate row(String name, List<String> selectors) {
        return new Delegate(
                name,
                "a1",
                "g",
                name,
                name,
                null,
                DelegateType.SHELL,
                null,
                IdentityKind.STABLE,
                "0.1.0",
                "Primary",
                selectors,
                List.of("echo", TaskTypes.SHELL_SCRIPT),
                4,
                null,
                null,
                "i",
                "s",
                NOW,
                NOW,
                NOW,
                null,
                null);
    }

    private static Task task(String... selectors) {
        return typed("echo", selectors);
    }

    private static Task script(String... selectors) {
        return typed(TaskTypes.SHELL_SCRIPT, selectors);
    }

    private static Task typed(String type, String... selectors) {
        return Task.queued(
                "t1",
                "a1",
                new Task.Spec(
                        type,
                        JsonNodeFactory.instance.objectNode(),
                        List.of(selectors),
                        Map.of(),
                        null,
                        null,
                        3,
                        60_000,
                        false,
                        "api"),
                "test",
                NOW);
    }

    private static Task secretTask(String... selectors) {
        return task(selectors).withSealedSecrets("sealed-for-the-test");
    }
}
