package org.opendelegate.manager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {

    @Test
    void startsWithZeroConfiguration() {
        ManagerConfig c = ManagerConfig.fromEnvironment(Map.of());

        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.store().embedded()).isTrue();
        assertThat(c.store().dataDir().toString()).endsWith("data");
        assertThat(c.externalUrl().toString()).isEqualTo("http://localhost:8080");
        assertThat(c.timings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.timings().disconnectAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.timings().ephemeralRetention()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.timings().stableRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.timings().pollWait()).isLessThan(Duration.ofSeconds(30));
        assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(c.console().sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.console().sessionMaxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(c.bootstrap().adminPassword()).isEmpty();
    }

    @Test
    void theLookupCacheLastsAMinuteByDefaultMayBeTurnedOffAndIsBounded() {
        assertThat(ManagerConfig.fromEnvironment(Map.of()).providers().lookupCacheTtl())
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_LOOKUP_CACHE_TTL", "0s"))
                        .providers()
                        .lookupCacheTtl())
                .isZero();
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_LOOKUP_CACHE_TTL", "2h")));
        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("OPENDELEGATE_LOOKUP_CACHE_TTL=2h is out of range");
    }

    @Test
    void readsTheConsoleSettingsAndRefusesBadOnes() {
        ManagerConfig c = ManagerConfig.fromEnvironment(
                Map.of("OPENDELEGATE_SESSION_IDLE_TIMEOUT", "2h", "OPENDELEGATE_ADMIN_PASSWORD", "twelve-chars"));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of(
                        "OPENDELEGATE_SESSION_IDLE_TIMEOUT", "10s",
                        "OPENDELEGATE_ADMIN_PASSWORD", "short")));

        assertThat(c.console().sessionIdleTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(c.bootstrap().adminPassword()).contains("twelve-chars");
        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "OPENDELEGATE_SESSION_IDLE_TIMEOUT=10s is out of range; use a value from 1m to 12h.",
                        "OPENDELEGATE_ADMIN_PASSWORD is too short (5 characters); use at least 12, e.g. from "
                                + "`openssl rand -base64 18`.");
    }

    @Test
    void endedTasksAreKeptNinetyDaysByDefaultForAsLongAsSetOrForEverWhenOff() {
        assertThat(ManagerConfig.fromEnvironment(Map.of()).store().taskRetention())
                .contains(Duration.ofDays(90));
        assertThat(ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_TASK_RETENTION", "30d"))
                        .store()
                        .taskRetention())
                .contains(Duration.ofDays(30));
        assertThat(ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_TASK_RETENTION", "Off"))
                        .store()
                        .taskRetention())
                .isEmpty();

        for (var bad : Map.of(
                        "59m", "is out of range; use a value from 1h to 3650d, or off.",
                        "3651d", "is out of range; use a value from 1h to 3650d, or off.",
                        "99999999999999999999d", "is out of range; use a value from 1h to 3650d, or off.",
                        "forever",
                                "is not a duration; write a number with a unit, e.g. 500ms, 10s, 5m, 1h or 7d, or off.")
                .entrySet()) {
            ConfigException e = catchThrowableOfType(
                    ConfigException.class,
                    () -> ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_TASK_RETENTION", bad.getKey())));
            assertThat(e.problems())
                    .singleElement()
                    .isEqualTo("OPENDELEGATE_TASK_RETENTION=" + bad.getKey() + " " + bad.getValue());
        }
    }

    @Test
    void durationsMayBeWrittenInDays() {
        ManagerConfig c = ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_STABLE_RETENTION", "14d"));

        assertThat(c.timings().stableRetention()).isEqualTo(Duration.ofDays(14));
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_STABLE_RETENTION", "366d")));
        assertThat(e.problems())
                .containsExactly("OPENDELEGATE_STABLE_RETENTION=366d is out of range; use a value from 1s to 365d.");
        ConfigException zero = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_NO_ELIGIBLE_WAIT", "2d")));
        assertThat(zero.problems())
                .containsExactly("OPENDELEGATE_NO_ELIGIBLE_WAIT=2d is out of range; use a value from 0s to 1h.");
    }

    @Test
    void readsEverySetting() {
        ManagerConfig c = ManagerConfig.fromEnvironment(Map.of(
                "OPENDELEGATE_PORT", "9000",
                "OPENDELEGATE_DB_URL", "jdbc:postgresql://db:5432/od?currentSchema=tenant_a",
                "OPENDELEGATE_DB_USER", "od",
                "OPENDELEGATE_EXTERNAL_URL", "https://od.example.com",
                "OPENDELEGATE_HEARTBEAT_INTERVAL", "5s",
                "OPENDELEGATE_DISCONNECT_AFTER", "1m",
                "OPENDELEGATE_EPHEMERAL_RETENTION", "2h",
                "OPENDELEGATE_LOG_FORMAT", "json"));

        assertThat(c.port()).isEqualTo(9000);
        assertThat(c.store().embedded()).isFalse();
        assertThat(c.store().schema()).contains("tenant_a");
        assertThat(c.externalUrl().getHost()).isEqualTo("od.example.com");
        assertThat(c.timings().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.timings().disconnectAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.timings().ephemeralRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void reportsEveryProblemAtOnceNamingTheSetting() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of(
                        "OPENDELEGATE_PORT", "eighty",
                        "OPENDELEGATE_HEARTBEAT_INTERVAL", "10 seconds",
                        "OPENDELEGATE_EXTERNAL_URL", "ftp://x",
                        "OPENDELEGATE_DB_URL", "jdbc:mysql://x/y",
                        "OPENDELEGATE_ADMIN_API_KEY", "short",
                        "OPENDELEGATE_LOG_FORMAT", "xml")));

        assertThat(e.problems()).hasSize(6);
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("OPENDELEGATE_PORT=eighty"));
        assertThat(e.problems())
                .anySatisfy(p -> assertThat(p)
                        .contains("OPENDELEGATE_HEARTBEAT_INTERVAL")
                        .contains("e.g. 500ms, 10s"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("OPENDELEGATE_EXTERNAL_URL"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("PostgreSQL JDBC URL"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("at least 16"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("text, json"));
    }

    @Test
    void refusesALivenessWindowShorterThanTwoHeartbeats() {
        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(
                        Map.of("OPENDELEGATE_HEARTBEAT_INTERVAL", "20s", "OPENDELEGATE_DISCONNECT_AFTER", "30s")));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("at least twice"));
    }

    @Test
    void theLivenessFlushLeavesTheDisconnectWindowRoomForALateHeartbeat() {
        assertThat(ManagerConfig.fromEnvironment(Map.of()).timings().livenessFlush())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(ManagerConfig.fromEnvironment(Map.of(
                                "OPENDELEGATE_HEARTBEAT_INTERVAL", "500ms", "OPENDELEGATE_DISCONNECT_AFTER", "2s"))
                        .timings()
                        .livenessFlush())
                .as("half of (disconnect window - heartbeat interval) when that is below 2 s")
                .isEqualTo(Duration.ofMillis(750));

        ConfigException e = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of(
                        "OPENDELEGATE_HEARTBEAT_INTERVAL", "10s",
                        "OPENDELEGATE_DISCONNECT_AFTER", "30s",
                        "OPENDELEGATE_LIVENESS_FLUSH", "11s")));

        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("OPENDELEGATE_LIVENESS_FLUSH (11s)"));
    }

    @Test
    void theDelegateImageDefaultsToTheManagersOwnVersionAndIsChecked() {
        ManagerConfig defaults = ManagerConfig.fromEnvironment(Map.of());
        ManagerConfig ecr = ManagerConfig.fromEnvironment(Map.of(
                "OPENDELEGATE_DELEGATE_IMAGE",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/opendelegate/delegate:0.1.0"));
        ConfigException bad = catchThrowableOfType(
                ConfigException.class,
                () -> ManagerConfig.fromEnvironment(Map.of("OPENDELEGATE_DELEGATE_IMAGE", "Open Delegate:latest")));

        assertThat(defaults.delegateImage())
                .isEqualTo("opendelegate/delegate:" + org.opendelegate.manager.config.Version.current());
        assertThat(ecr.delegateImage()).startsWith("123456789012.dkr.ecr");
        assertThat(bad.problems())
                .singleElement()
                .satisfies(p -> assertThat(p)
                        .startsWith(
                                "OPENDELEGATE_DELEGATE_IMAGE=Open Delegate:latest is not a container image reference"));
    }

    @Test
    void imageReferencesFollowDockersGrammar() {
        assertThat(ImageReference.isValid("opendelegate/delegate")).isTrue();
        assertThat(ImageReference.isValid("registry.local:5000/team/opendelegate-delegate:1.2.3-rc1"))
                .isTrue();
        assertThat(ImageReference.isValid("opendelegate/delegate@sha256:" + "a".repeat(64)))
                .isTrue();
        assertThat(ImageReference.isValid("OpenDelegate/delegate")).isFalse();
        assertThat(ImageReference.isValid("opendelegate/delegate:")).isFalse();
        assertThat(ImageReference.isValid("opendelegate/delegate:1.0;rm -rf /")).isFalse();
        assertThat(ImageReference.isValid("opendelegate/" + "a".repeat(250))).isFalse();
    }
}
