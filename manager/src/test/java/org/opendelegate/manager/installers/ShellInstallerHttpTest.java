package org.opendelegate.manager.installers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.testing.TarGz;
import org.opendelegate.manager.testing.TestManager;
import org.opendelegate.testkit.TestHttp;

class ShellInstallerHttpTest {
    private static TestManager manager;

    @BeforeAll
    static void start() {
        manager = TestManager.start(Map.of("OPENDELEGATE_EXTERNAL_URL", "https://od.example.com"));
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void theShellDownloadHasTheJarScriptsConfigAndUnitWithTheirModes() {
        TestHttp.BinaryResponse r = manager.api()
                .postForBytes(
                        "/api/v1/installers/shell",
                        Map.of("delegateGroupName", "ec2-hosts", "delegateName", "build-box-1"));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"opendelegate-shell.tar.gz\"");
        Map<String, TarGz.Entry> files = TarGz.read(r.body());
        assertThat(files.keySet())
                .containsExactlyInAnyOrder(
                        "opendelegate-shell/",
                        "opendelegate-shell/README.txt",
                        "opendelegate-shell/start.sh",
                        "opendelegate-shell/stop.sh",
                        "opendelegate-shell/delegate.env",
                        "opendelegate-shell/opendelegate-delegate.service",
                        "opendelegate-shell/opendelegate-delegate.jar");
        assertThat(files.get("opendelegate-shell/start.sh").mode()).isEqualTo(0755);
        assertThat(files.get("opendelegate-shell/stop.sh").mode()).isEqualTo(0755);
        assertThat(files.get("opendelegate-shell/delegate.env").mode()).isEqualTo(0600);
        assertThat(files.get("opendelegate-shell/opendelegate-delegate.jar").content())
                .as("a zip file")
                .startsWith(0x50, 0x4b, 0x03, 0x04);
        assertThat(files.get("opendelegate-shell/start.sh").text())
                .startsWith("#!/bin/sh")
                .contains("Java 17 or newer", "sudo apt-get install -y openjdk-17-jre-headless");
        assertThat(files.get("opendelegate-shell/delegate.env").text())
                .contains(
                        "MANAGER_URL=https://od.example.com\n",
                        "ACCOUNT_ID=" + TestManager.ACCOUNT_ID + "\n",
                        "DELEGATE_GROUP_NAME=ec2-hosts\n",
                        "DELEGATE_PROFILE=Primary\n",
                        "DELEGATE_TYPE=SHELL\n",
                        "DELEGATE_NAME=build-box-1\n",
                        "DELEGATE_TOKEN=odt_",
                        "\nJAVA_OPTS=-XX:+IgnoreUnrecognizedVMOptions -Xmx192m -XX:+UseSerialGC -XX:MaxNewSize=4m ",
                        " -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=10000 ",
                        " -XX:+ExitOnOutOfMemoryError\n",
                        "\nMALLOC_ARENA_MAX=2\n");
        assertThat(files.get("opendelegate-shell/opendelegate-delegate.service").text())
                .contains(
                        "ExecStart=/opt/opendelegate-shell/start.sh --foreground",
                        "RestartPreventExitStatus=2 3",
                        "WantedBy=multi-user.target");
        assertThat(files.get("opendelegate-shell/README.txt").text())
                .contains("instance profile role", "systemctl enable --now opendelegate-delegate");
        assertThat(r.header("X-OpenDelegate-Token-Created")).isEqualTo("true");
    }

    @Test
    void badShellRequestsAreRefusedAndCreateNothing() {
        int before = manager.api()
                .get("/api/v1/delegate-tokens")
                .json()
                .get("tokens")
                .size();

        TestHttp.Response r = manager.api()
                .post(
                        "/api/v1/installers/shell",
                        Map.of("delegateGroupName", "a b", "delegateName", "$(reboot)", "profile", "x\ny"));
        TestHttp.Response viewerless =
                manager.anonymous().post("/api/v1/installers/shell", Map.of("delegateGroupName", "ok"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("delegateGroupName", "delegateName", "profile");
        assertThat(viewerless.status()).isEqualTo(401);
        assertThat(manager.api().get("/api/v1/delegate-tokens").json().get("tokens"))
                .hasSize(before);
    }
}
