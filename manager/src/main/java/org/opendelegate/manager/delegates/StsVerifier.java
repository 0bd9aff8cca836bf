package org.opendelegate.manager.delegates;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.protocol.ProblemCodes;
import org.opendelegate.protocol.SignedStsRequest;

/**
 * Learns which AWS identity signed a presigned {@code sts:GetCallerIdentity} request. Everything that can
 * be checked without AWS is checked first (the request is a GetCallerIdentity, it names this Manager, it is
 * at most 15 minutes old, it was signed for an STS endpoint this Manager trusts); then the Manager sends it
 * to that trusted endpoint, never to a URL the delegate gave, and reads the account and ARN STS answers.
 */
public final class StsVerifier {
    /** Signatures older than this are refused before STS is asked. */
    static final Duration MAX_AGE = Duration.ofMinutes(15);

    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=[A-Za-z0-9]{16,128}/"
                    + "(\\d{8})/([a-z0-9-]{1,30})/sts/aws4_request, ?SignedHeaders=([a-z0-9;-]{1,1000}), ?Signature=[0-9a-f]{64}");
    private static final List<String> MUST_BE_SIGNED =
            List.of("host", "x-amz-date", SignedStsRequest.MANAGER_ID_HEADER.toLowerCase(Locale.ROOT));
    // java.net.http sets these itself (Host from the trusted URI, which must equal the signed one).
    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Pattern ARN = Pattern.compile("<Arn>([^<]{1,2048})</Arn>");
    private static final Pattern ACCOUNT = Pattern.compile("<Account>(\\d{12})</Account>");
    private static final Pattern STS_ERROR =
            Pattern.compile("<Code>([^<]{1,200})</Code>\\s*<Message>([^<]{0,1000})</Message>");

    /** The identity STS answered. */
    public record AwsCaller(String account, String arn) {}

    private final Optional<URI> configuredEndpoint;
    private final Set<String> managerNames;
    private final Clock clock;
    // Made on the first IAM registration: an HttpClient starts a selector thread that outlives a Manager
    // whose start failed, and most Managers never verify an AWS identity.
    private HttpClient http;

    /**
     * @param configuredEndpoint {@code OPENDELEGATE_STS_ENDPOINT}: the one STS endpoint to use, or empty for
     *     the regional endpoint of the signature's region
     * @param managerNames the values of {@link SignedStsRequest#MANAGER_ID_HEADER} that name this Manager:
     *     its id and its external URL's origin
     */
    public StsVerifier(Optional<URI> configuredEndpoint, Set<String> managerNames, Clock clock) {
        this.configuredEndpoint = configuredEndpoint;
        this.managerNames = Set.copyOf(managerNames);
        this.clock = clock;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        }
        return http;
    }

    /**
     * How a Manager URL names the Manager when no Manager id is configured: its origin, e.g.
     * {@code https://manager.example.com} or {@code http://127.0.0.1:8080}. The delegate computes the same.
     */
    public static String origin(URI url) {
        String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
        return url.getScheme().toLowerCase(Locale.ROOT) + "://" + host
                + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    /** The AWS identity that signed the request, or a problem naming what is wrong with it. */
    public AwsCaller verify(SignedStsRequest proof) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(proof.headers());
        if (!"POST".equals(proof.method()) || !SignedStsRequest.GET_CALLER_IDENTITY_BODY.equals(proof.body())) {
            throw invalid("The AWS identity proof must be a POST of `" + SignedStsRequest.GET_CALLER_IDENTITY_BODY
                    + "` (sts:GetCallerIdentity) and nothing else.");
        }
        Matcher authorization = AUTHORIZATION.matcher(headers.getOrDefault("Authorization", ""));
        if (!authorization.matches()) {
            throw invalid("The AWS identity proof carries no SigV4 `Authorization` header for the sts service.");
        }
        List<String> signed = List.of(authorization.group(3).split(";"));
        for (String header : MUST_BE_SIGNED) {
            if (!signed.contains(header) || !headers.containsKey(header)) {
                throw invalid("The AWS identity proof must sign the `" + header + "` header.");
            }
        }
        checkManager(headers.get(SignedStsRequest.MANAGER_ID_HEADER));
        checkAge(headers.get("X-Amz-Date"), authorization.group(1));
        URI endpoint = trustedEndpoint(authorization.group(2), headers.get("Host"));
        return call(endpoint, headers, signed);
    }

    private void checkManager(String named) {
        if (!managerNames.contains(named)) {
            throw new DomainProblem(
                    ProblemKind.FORBIDDEN,
                    "Signed for another Manager",
                    ProblemCodes.IAM_WRONG_MANAGER,
                    "The AWS identity proof was signed for Manager `" + named + "`; this Manager is "
                            + managerNames.stream().sorted().toList() + ". Set MANAGER_ID (or MANAGER_URL) on the "
                            + "delegate to this Manager's; a proof made for one Manager is never accepted by another.");
        }
    }

    private void checkAge(String amzDate, String scopeDate) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid(
                    "The AWS identity proof's X-Amz-Date (`" + amzDate + "`) is not of the form 20260101T120000Z.");
        }
        if (!amzDate.startsWith(scopeDate)) {
            throw invalid("The AWS identity proof's X-Amz-Date does not match the date of its credential scope.");
        }
        Instant now = clock.instant();
        if (signedAt.isBefore(now.minus(MAX_AGE)) || signedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw new DomainProblem(
                    ProblemKind.UNAUTHORIZED,
                    "Stale AWS identity proof",
                    ProblemCodes.IAM_SIGNATURE_STALE,
                    "The AWS identity proof was signed at " + signedAt + "; this Manager's time is " + now
                            + " and it accepts proofs at most " + MAX_AGE.toMinutes() + " minutes old. "
                            + "Check the clocks of the delegate's host and the Manager.");
        }
    }

    /** The endpoint to send to: the configured one, or the signature region's; the signed Host must be its. */
    private URI trustedEndpoint(String region, String signedHost) {
        URI endpoint = configuredEndpoint.orElseGet(() -> URI.create("https://sts." + region + ".amazonaws.com"));
        String authority =
                endpoint.getPort() == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
        if (!authority.equalsIgnoreCase(signedHost)) {
            throw new DomainProblem(
                    ProblemKind.FORBIDDEN,
                    "STS endpoint not trusted",
                    ProblemCodes.IAM_STS_ENDPOINT_NOT_TRUSTED,
                    "The AWS identity proof was signed for host `" + signedHost + "`; this Manager sends proofs only "
                            + "to " + endpoint + (configuredEndpoint.isPresent() ? " (OPENDELEGATE_STS_ENDPOINT)" : "")
                            + ". Point the delegate's STS endpoint (AWS_ENDPOINT_URL_STS, AWS_REGION) at it.");
        }
        return endpoint;
    }

    private AwsCaller call(URI endpoint, Map<String, String> headers, List<String> signed) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(SignedStsRequest.GET_CALLER_IDENTITY_BODY));
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean wanted = signed.contains(lower) || lower.equals("authorization") || lower.equals("content-type");
            if (wanted && !NOT_FORWARDED.contains(lower)) {
                request.header(name, value);
            }
        });
        HttpResponse<String> answer;
        try {
            answer = http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw unreachable(endpoint, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(endpoint, "interrupted");
        }
        if (answer.statusCode() >= 400 && answer.statusCode() < 500) {
            Matcher error = STS_ERROR.matcher(answer.body());
            throw invalid("STS refused the AWS identity proof: "
                    + (error.find() ? error.group(1) + ": " + error.group(2) : "HTTP " + answer.statusCode()) + ".");
        }
        Matcher arn = ARN.matcher(answer.body());
        Matcher account = ACCOUNT.matcher(answer.body());
        if (answer.statusCode() != 200 || !arn.find() || !account.find()) {
            throw unreachable(endpoint, "HTTP " + answer.statusCode() + " without a GetCallerIdentity answer");
        }
        return new AwsCaller(account.group(1), arn.group(1));
    }

    private static DomainProblem invalid(String detail) {
        return new DomainProblem(
                ProblemKind.UNAUTHORIZED, "Invalid AWS identity proof", ProblemCodes.IAM_SIGNATURE_INVALID, detail);
    }

    private static DomainProblem unreachable(URI endpoint, String why) {
        return new DomainProblem(
                ProblemKind.OUTSIDE_FAILED,
                "STS unavailable",
                "IAM_STS_UNAVAILABLE",
                "The Manager could not verify the AWS identity proof at " + endpoint + " (" + why
                        + "); the delegate will try again.");
    }
}
