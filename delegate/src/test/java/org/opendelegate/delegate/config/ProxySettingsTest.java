package org.opendelegate.delegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    private static ProxySettings parse(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        ProxySettings settings = ProxySettings.parse(env, problems);
        assertThat(problems).isEmpty();
        return settings;
    }

    private static String proxyFor(ProxySettings settings, String url) {
        Proxy proxy = settings.proxyFor(URI.create(url));
        if (proxy.type() == Proxy.Type.DIRECT) {
            return "DIRECT";
        }
        InetSocketAddress address = (InetSocketAddress) proxy.address();
        return proxy.type() + " " + address.getHostString() + ":" + address.getPort();
    }

    @Test
    void httpsTargetsUseHttpsProxyAndHttpTargetsUseHttpProxy() {
        ProxySettings settings = parse(Map.of("HTTPS_PROXY", "http://secure-proxy:3128", "HTTP_PROXY", "plain-proxy"));

        assertThat(proxyFor(settings, "https://manager.example.com")).isEqualTo("HTTP secure-proxy:3128");
        assertThat(proxyFor(settings, "http://manager.example.com")).isEqualTo("HTTP plain-proxy:80");
    }

    @Test
    void withoutProxyVariablesCallsGoDirect() {
        assertThat(proxyFor(parse(Map.of()), "https://manager.example.com")).isEqualTo("DIRECT");
        assertThat(proxyFor(parse(Map.of("HTTP_PROXY", "http://p:1")), "https://manager.example.com"))
                .isEqualTo("DIRECT");
    }

    @Test
    void lowerCaseSpellingsWorkAndUpperCaseWins() {
        assertThat(proxyFor(parse(Map.of("https_proxy", "http://lower:1")), "https://m.example.com"))
                .isEqualTo("HTTP lower:1");
        assertThat(proxyFor(
                        parse(Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2")),
                        "https://m.example.com"))
                .isEqualTo("HTTP upper:2");
    }

    @Test
    void socksProxiesAreSupported() {
        assertThat(proxyFor(parse(Map.of("HTTPS_PROXY", "socks5://bastion")), "https://m.example.com"))
                .isEqualTo("SOCKS bastion:1080");
    }

    @Test
    void noProxyMatchesDomainsSuffixesIpsCidrsAndPorts() {
        ProxySettings settings = parse(Map.of(
                "HTTPS_PROXY",
                "http://proxy:3128",
                "NO_PROXY",
                "internal.corp, .svc.local,10.0.0.0/8, 192.168.1.10, manager.example.com:8443"));

        assertThat(proxyFor(settings, "https://internal.corp")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://api.internal.corp")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://notinternal.corp")).isEqualTo("HTTP proxy:3128");
        assertThat(proxyFor(settings, "https://manager.svc.local")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://svc.local")).isEqualTo("HTTP proxy:3128");
        assertThat(proxyFor(settings, "https://10.20.30.40")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://11.0.0.1")).isEqualTo("HTTP proxy:3128");
        assertThat(proxyFor(settings, "https://192.168.1.10")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://manager.example.com:8443")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://manager.example.com")).isEqualTo("HTTP proxy:3128");
    }

    @Test
    void aStarInNoProxyDisablesTheProxy() {
        ProxySettings settings = parse(Map.of("HTTPS_PROXY", "http://proxy:3128", "no_proxy", "*"));

        assertThat(proxyFor(settings, "https://manager.example.com")).isEqualTo("DIRECT");
    }

    @Test
    void loopbackIsNeverProxied() {
        ProxySettings settings = parse(Map.of("HTTPS_PROXY", "http://proxy:3128", "HTTP_PROXY", "http://proxy:3128"));

        assertThat(proxyFor(settings, "http://127.0.0.1:8080")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "https://localhost")).isEqualTo("DIRECT");
        assertThat(proxyFor(settings, "http://[::1]:8080")).isEqualTo("DIRECT");
    }
}
