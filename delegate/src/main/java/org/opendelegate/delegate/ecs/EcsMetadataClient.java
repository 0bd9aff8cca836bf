package org.opendelegate.delegate.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import org.opendelegate.protocol.ProtocolJson;

/**
 * Reads the ECS task metadata endpoint v4: {@code ${ECS_CONTAINER_METADATA_URI_V4}} for this container
 * and {@code .../task} for its task. Always direct, never through {@code HTTPS_PROXY}: the endpoint is
 * a link-local address only the ECS agent answers.
 */
public final class EcsMetadataClient {
    private final Duration timeout;

    /** @param timeout connect and read timeout for each of the two calls */
    public EcsMetadataClient(Duration timeout) {
        this.timeout = timeout;
    }

    /** Fetches and parses both documents. */
    public EcsMetadata fetch(String baseUri) throws IOException {
        String base = baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
        JsonNode container = get(base);
        JsonNode task = get(base + "/task");
        return EcsMetadata.from(container, task);
    }

    private JsonNode get(String uri) throws IOException {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(uri).toURL().openConnection(Proxy.NO_PROXY);
        } catch (IllegalArgumentException e) {
            throw new IOException("'" + uri + "' is not a URL", e);
        }
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setRequestProperty("Accept", "application/json");
        int status = connection.getResponseCode();
        if (status != 200) {
            connection.disconnect();
            throw new IOException("GET " + uri + " answered HTTP " + status);
        }
        try (InputStream in = connection.getInputStream()) {
            JsonNode node = ProtocolJson.mapper().readTree(in);
            if (node == null || !node.isObject()) {
                throw new IOException("GET " + uri + " did not answer a JSON object");
            }
            return node;
        }
    }
}
