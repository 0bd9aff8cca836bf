package org.opendelegate.manager.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opendelegate.testkit.TestHttp;

/**
 * Plays a browser against the console over plain HTTP: keeps cookies, sends forms, does not follow
 * redirects (tests look at them), and reads the CSRF token a page carries.
 */
public final class ConsoleBrowser {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    ConsoleBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** An answer with the raw headers (Set-Cookie among them). */
    public record Page(int status, HttpResponse<String> raw) {
        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public List<String> setCookies() {
            return raw.headers().allValues("Set-Cookie");
        }

        public Page expectStatus(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + " but got " + status + ": " + body());
            }
            return this;
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }

    public Page get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    /** POSTs a form; {@code fields} may repeat a name as "name" -> List. */
    public Page post(String path, Map<String, ?> fields, String... headers) {
        return send(request(path, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))));
    }

    /** POSTs a form and keeps the answer as bytes (downloads). */
    public TestHttp.BinaryResponse postForBytes(String path, Map<String, ?> fields, String... headers) {
        HttpRequest request = request(path, headers)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)))
                .build();
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new TestHttp.BinaryResponse(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Loads the sign-in form and sends it. */
    public Page signIn(String username, String password, String... headers) {
        String token = formToken(get("/login").expectStatus(200).body());
        return post(
                "/login",
                Map.of("_csrf", token, "username", username, "password", password, "next", "/setup/delegates"),
                headers);
    }

    /** The session's CSRF token, read from a console page. */
    public String csrfToken() {
        Matcher m = CSRF_META.matcher(get("/setup/delegates").expectStatus(200).body());
        if (!m.find()) {
            throw new AssertionError("the page carries no CSRF token");
        }
        return m.group(1);
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public void forget(String cookieName) {
        cookies.remove(cookieName);
    }

    public static String formToken(String html) {
        Matcher m = FORM_TOKEN.matcher(html);
        if (!m.find()) {
            throw new AssertionError("the form carries no token: " + html);
        }
        return m.group(1);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html");
        if (!cookies.isEmpty()) {
            StringJoiner j = new StringJoiner("; ");
            cookies.forEach((k, v) -> j.add(k + "=" + v));
            b.header("Cookie", j.toString());
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private Page send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> r = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            for (String c : r.headers().allValues("Set-Cookie")) {
                String pair = c.split(";", 2)[0];
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || c.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return new Page(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(Map<String, ?> fields) {
        StringJoiner j = new StringJoiner("&");
        fields.forEach((k, v) -> {
            List<?> values = v instanceof List<?> l ? l : List.of(v);
            for (Object one : values) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(String.valueOf(one), StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }
}
