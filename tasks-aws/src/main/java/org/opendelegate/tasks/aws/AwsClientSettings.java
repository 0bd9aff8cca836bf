package org.opendelegate.tasks.aws;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.ProxyConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * How the delegate's AWS clients behave. Everything standard is left to the SDK, which reads it itself:
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>} (and their {@code aws.*}
 * system properties), {@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS}. On top:
 * <ul>
 *   <li>Retries. {@code AWS_MAX_ATTEMPTS}, when set, is honoured exactly as the SDK documents it: it bounds
 *       every retry, throttling included ({@code 1} turns retries off). When it is not set, the delegate
 *       allows {@value #DEFAULT_MAX_ATTEMPTS} attempts instead of the SDK's 3, since a lookup pages through
 *       many calls and a busy account throttles; the SDK's standard mode backs off exponentially with jitter,
 *       longer for throttling.</li>
 *   <li>Proxies: {@code HTTPS_PROXY} (or {@code HTTP_PROXY} for an http endpoint), {@code NO_PROXY}, and the
 *       JVM's {@code https.proxyHost} family.</li>
 *   <li>Time: no call outlives the task's deadline.</li>
 * </ul>
 */
final class AwsClientSettings {
    /** Attempts per call when {@code AWS_MAX_ATTEMPTS} is not set. */
    static final int DEFAULT_MAX_ATTEMPTS = 5;

    private static final Duration LONGEST_CALL = Duration.ofMinutes(2);

    private AwsClientSettings() {}

    static SdkHttpClient httpClient() {
        String scheme = configuredEndpoint("").map(URI::getScheme).orElse("https");
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .proxyConfiguration(ProxyConfiguration.builder()
                        .useEnvironmentVariablesValues(true)
                        .useSystemPropertyValues(true)
                        .scheme(scheme)
                        .build())
                .build();
    }

    static ClientOverrideConfiguration overrides(Instant deadline) {
        Duration left = deadline == null || deadline.equals(Instant.MAX)
                ? LONGEST_CALL
                : Duration.between(Instant.now(), deadline);
        Duration timeout = left.compareTo(LONGEST_CALL) > 0
                ? LONGEST_CALL
                : left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
        ClientOverrideConfiguration.Builder builder =
                ClientOverrideConfiguration.builder().apiCallTimeout(timeout);
        if (SdkSystemSetting.AWS_MAX_ATTEMPTS.getStringValue().isEmpty()) {
            builder.retryStrategy(b -> b.maxAttempts(DEFAULT_MAX_ATTEMPTS));
        }
        return builder.build();
    }

    /** Where calls to a service go, for "cannot reach" messages. */
    static String describeEndpoint(String service, String region) {
        return configuredEndpoint(service)
                .map(uri -> uri + " (the " + service + " endpoint from "
                        + (System.getenv(variable(service)) != null ? variable(service) : "AWS_ENDPOINT_URL") + ")")
                .orElse("https://" + service + "." + region + ".amazonaws.com");
    }

    /**
     * Where calls to a service go: the configured endpoint, or AWS's regional one.
     *
     * @param service the service's key in {@code AWS_ENDPOINT_URL_<SERVICE>}, e.g. {@code application_auto_scaling}
     * @param prefix the regional endpoint's host prefix, e.g. {@code application-autoscaling}
     */
    static URI endpoint(String service, String prefix, String region) {
        return configuredEndpoint(service).orElse(URI.create("https://" + prefix + "." + region + ".amazonaws.com"));
    }

    /** The endpoint URL configured for a service ({@code ""} for the global one), if any. */
    private static Optional<URI> configuredEndpoint(String service) {
        String specific = service.isEmpty() ? null : System.getenv(variable(service));
        String value = specific != null ? specific : System.getenv("AWS_ENDPOINT_URL");
        if (value == null || value.isBlank()) {
            String property = service.isEmpty()
                    ? null
                    : System.getProperty(
                            "aws.endpointUrl" + Character.toUpperCase(service.charAt(0)) + service.substring(1));
            value = property != null ? property : System.getProperty("aws.endpointUrl");
        }
        try {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String variable(String service) {
        return "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT);
    }
}
