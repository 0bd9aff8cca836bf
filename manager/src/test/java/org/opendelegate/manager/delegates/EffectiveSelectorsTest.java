package org.opendelegate.manager.delegates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.delegates.EffectiveSelector.Trust;

/** Where each effective selector comes from, and which of them an admin granted. */
class EffectiveSelectorsTest {

    @Test
    void eachSourceSaysWhetherAnAdminGrantedIt() {
        List<EffectiveSelector> viaGroup =
                EffectiveSelectors.of("prod", List.of("aws-prod"), "d-1", List.of("mine"), List.of("tools"), true);
        List<EffectiveSelector> ownPick =
                EffectiveSelectors.of("prod", List.of("aws-prod"), "d-1", List.of("mine"), List.of("tools"), false);

        assertThat(viaGroup)
                .containsExactly(
                        new EffectiveSelector("aws-prod", EffectiveSelector.GROUP, Trust.TRUSTED),
                        new EffectiveSelector("d-1", EffectiveSelector.IMPLICIT, Trust.SELF_DECLARED),
                        new EffectiveSelector("mine", EffectiveSelector.DELEGATE, Trust.SELF_DECLARED),
                        new EffectiveSelector("prod", EffectiveSelector.IMPLICIT, Trust.TRUSTED),
                        new EffectiveSelector("tools", EffectiveSelector.PROFILE, Trust.TRUSTED));
        assertThat(ownPick).contains(new EffectiveSelector("tools", EffectiveSelector.PROFILE, Trust.SELF_DECLARED));
        assertThat(EffectiveSelectors.trustedValues(ownPick)).containsExactly("aws-prod", "prod");
    }

    @Test
    void aSelectorTheGroupGrantsStaysTrustedWhenTheDelegateAlsoDeclaresIt() {
        List<EffectiveSelector> selectors =
                EffectiveSelectors.of("prod", List.of("AWS-Prod"), "d-1", List.of("aws-prod", "prod"));

        assertThat(selectors)
                .contains(
                        new EffectiveSelector("aws-prod", EffectiveSelector.GROUP, Trust.TRUSTED),
                        new EffectiveSelector("prod", EffectiveSelector.IMPLICIT, Trust.TRUSTED));
    }
}
