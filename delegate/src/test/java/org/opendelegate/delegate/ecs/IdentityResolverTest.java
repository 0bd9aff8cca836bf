package org.opendelegate.delegate.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.delegate.config.ConfigParser;
import org.opendelegate.delegate.config.DelegateConfig;
import org.opendelegate.protocol.IdentityKind;
import org.slf4j.LoggerFactory;

class IdentityResolverTest {
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureWarnings() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(IdentityResolver.class)).addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        ((Logger) LoggerFactory.getLogger(IdentityResolver.class)).detachAppender(logged);
    }

    private static DelegateConfig config(String metadataUri, String... extra) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MANAGER_URL", "https://manager.example.com");
        env.put("ACCOUNT_ID", "acc-1");
        env.put("DELEGATE_TOKEN", "token");
        env.put("DELEGATE_GROUP_NAME", "ecs-prod");
        if (metadataUri != null) {
            env.put("ECS_CONTAINER_METADATA_URI_V4", metadataUri);
        }
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return ConfigParser.parse(env);
    }

    private static DelegateIdentity resolve(HostInfo host, DelegateConfig config) {
        return new IdentityResolver(host, new EcsMetadataClient(Duration.ofSeconds(1))).resolve(config);
    }

    @Test
    void onEc2InBridgeModeTheDelegateIsNamedAfterTheContainersHostName() throws Exception {
        try (var endpoint = new FakeMetadataEndpoint("ec2-bridge-container.json", "ec2-bridge-task.json")) {
            DelegateIdentity identity =
                    resolve(new HostInfo("build-delegate-1", "192.168.5.5"), config(endpoint.uri()));

            assertThat(identity.name()).isEqualTo("build-delegate-1");
            assertThat(identity.identityKind()).isEqualTo(IdentityKind.STABLE);
            assertThat(identity.launchType()).isEqualTo("EC2");
            assertThat(identity.ip()).isEqualTo("172.17.0.3");
            assertThat(identity.ecs().taskArn())
                    .isEqualTo(
                            "arn:aws:ecs:eu-west-1:111122223333:task/build-cluster/0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5");
            assertThat(identity.ecs().cluster()).isEqualTo("build-cluster");
            assertThat(identity.ecs().containerId()).startsWith("5b3a9e1c7d2f");
            assertThat(identity.ecs().containerName()).isEqualTo("opendelegate");
            assertThat(identity.ecs().networkMode()).isEqualTo("bridge");
            assertThat(identity.ecs().family()).isEqualTo("opendelegate-ec2");
            assertThat(identity.ecs().revision()).isEqualTo("4");
            assertThat(identity.ecs().availabilityZone()).isNull();
        }
    }

    @Test
    void aBridgeContainerWhoseHostNameIsItsContainerIdIsEphemeral() throws Exception {
        try (var endpoint = new FakeMetadataEndpoint("ec2-bridge-container.json", "ec2-bridge-task.json")) {
            DelegateIdentity identity = resolve(new HostInfo("5b3a9e1c7d2f", null), config(endpoint.uri()));

            assertThat(identity.name()).isEqualTo("5b3a9e1c7d2f");
            assertThat(identity.identityKind()).isEqualTo(IdentityKind.EPHEMERAL);
        }
    }

    @Test
    void onFargateTheDelegateIsNamedAfterItsContainerIdAndIsEphemeral() throws Exception {
        try (var endpoint = new FakeMetadataEndpoint("fargate-container.json", "fargate-task.json")) {
            DelegateIdentity identity =
                    resolve(new HostInfo("ip-10-0-12-57.ec2.internal", null), config(endpoint.uri()));

            assertThat(identity.name()).isEqualTo("c7d2e9f0a1b2");
            assertThat(identity.identityKind()).isEqualTo(IdentityKind.EPHEMERAL);
            assertThat(identity.launchType()).isEqualTo("FARGATE");
            assertThat(identity.hostname()).isEqualTo("ip-10-0-12-57.ec2.internal");
            assertThat(identity.ip()).isEqualTo("10.0.12.57");
            assertThat(identity.ecs().networkMode()).isEqualTo("awsvpc");
            assertThat(identity.ecs().availabilityZone()).isEqualTo("us-east-1b");
            assertThat(identity.ecs().cluster()).isEqualTo("arn:aws:ecs:us-east-1:111122223333:cluster/prod");
            assertThat(identity.ecs().family()).isEqualTo("opendelegate-task-spec");
            assertThat(identity.ecs().revision()).isEqualTo("7");
        }
    }

    @Test
    void delegateNameWinsEvenOnFargate() throws Exception {
        try (var endpoint = new FakeMetadataEndpoint("fargate-container.json", "fargate-task.json")) {
            DelegateIdentity identity =
                    resolve(new HostInfo("host", null), config(endpoint.uri(), "DELEGATE_NAME", "prod-delegate-a"));

            assertThat(identity.name()).isEqualTo("prod-delegate-a");
            assertThat(identity.identityKind()).isEqualTo(IdentityKind.STABLE);
            assertThat(identity.launchType()).isEqualTo("FARGATE");
        }
    }

    @Test
    void whenTheMetadataEndpointIsDownTheHostNameIsUsedWithAWarning() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String uri = "http://127.0.0.1:" + closedPort + "/v4/gone";

        DelegateIdentity identity = resolve(new HostInfo("host-7", "10.1.2.3"), config(uri));

        assertThat(identity.name()).isEqualTo("host-7");
        assertThat(identity.identityKind()).isEqualTo(IdentityKind.STABLE);
        assertThat(identity.launchType()).isNull();
        assertThat(identity.ecs()).isNull();
        assertThat(identity.ip()).isEqualTo("10.1.2.3");
        assertThat(logged.list)
                .singleElement()
                .extracting(ILoggingEvent::getFormattedMessage)
                .asString()
                .startsWith("Could not read the ECS task metadata at " + uri)
                .contains("naming this delegate after its host name 'host-7'");
    }

    @Test
    void outsideEcsTheHostNameIsUsed() throws Exception {
        DelegateIdentity identity = resolve(new HostInfo("build-box", "10.9.8.7"), config(null));

        assertThat(identity.name()).isEqualTo("build-box");
        assertThat(identity.identityKind()).isEqualTo(IdentityKind.STABLE);
        assertThat(identity.launchType()).isNull();
        assertThat(identity.ecs()).isNull();
        assertThat(logged.list).isEmpty();
    }

    @Test
    void aDockerDelegateWhoseHostNameIsAShortContainerIdIsEphemeral() throws Exception {
        DelegateIdentity identity =
                resolve(new HostInfo("0123456789ab", null), config(null, "DELEGATE_TYPE", "DOCKER"));

        assertThat(identity.name()).isEqualTo("0123456789ab");
        assertThat(identity.identityKind()).isEqualTo(IdentityKind.EPHEMERAL);
    }
}
