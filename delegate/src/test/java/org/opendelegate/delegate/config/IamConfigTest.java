package org.opendelegate.delegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code DELEGATE_AUTHENTICATION=IAM}: no token needed, and what names the Manager in the identity proof. */
class IamConfigTest {

    private static Map<String, String> iam() {
        Map<String, String> env = ConfigParserTest.minimal();
        env.remove("DELEGATE_TOKEN");
        env.put("DELEGATE_AUTHENTICATION", "iam");
        env.put("MANAGER_URL", "https://Manager.Example.com:8443/od/");
        return env;
    }

    @Test
    void iamNeedsNoTokenAndNamesTheManagerByItsIdWhenGiven() throws Exception {
        Map<String, String> env = iam();
        env.put("MANAGER_ID", "odm_abc123");

        DelegateConfig config = ConfigParser.parse(env);

        assertThat(config.token()).isNull();
        assertThat(config.iamManagerName()).isEqualTo("odm_abc123");
        assertThat(config.describe()).anyMatch(l -> l.startsWith("DELEGATE_AUTHENTICATION=IAM"));
    }

    @Test
    void withoutAManagerIdTheManagerUrlsOriginNamesIt() throws Exception {
        assertThat(ConfigParser.parse(iam()).iamManagerName()).isEqualTo("https://manager.example.com:8443");
    }

    @Test
    void tokenAuthenticationStaysTheDefaultAndAnUnknownModeIsNamed() throws Exception {
        assertThat(ConfigParser.parse(ConfigParserTest.minimal()).iamManagerName())
                .isNull();
        Map<String, String> env = ConfigParserTest.minimal();
        env.put("DELEGATE_AUTHENTICATION", "kerberos");
        assertThat(ConfigParserTest.problems(env)).anyMatch(p -> p.startsWith("DELEGATE_AUTHENTICATION 'kerberos'"));
    }
}
