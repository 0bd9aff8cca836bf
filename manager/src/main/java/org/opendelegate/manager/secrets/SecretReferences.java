package org.opendelegate.manager.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.store.AccountSecret;
import org.opendelegate.manager.store.SecretRef;
import org.opendelegate.protocol.Problem;

/**
 * Resolves the {@code secret:NAME} references of a task's {@code secrets} map at submission: each becomes the
 * current value of that secret of the task's account, for the task's sealed secrets. Other forms
 * ({@code aws-secretsmanager:}, {@code aws-ssm:}) are the delegate's to resolve and are left alone.
 */
public final class SecretReferences {
    /** The prefix of a reference to the Manager's secret store. */
    public static final String PREFIX = "secret:";
    /** The most a task's resolved secrets may take as JSON: sealed, they must fit the task's column. */
    static final int MAX_RESOLVED_BYTES = 700_000;

    private final AccountSecrets secrets;

    public SecretReferences(AccountSecrets secrets) {
        this.secrets = secrets;
    }

    /**
     * What a task gets: its secrets as {@code {"ENV_NAME": "value"}} and the references they came from. The
     * text form leaves the values out.
     */
    public record Resolved(ObjectNode values, List<SecretRef> refs) {
        @Override
        public String toString() {
            return "Resolved" + refs;
        }
    }

    /**
     * Resolves the payload's {@code secrets} references to store secrets.
     *
     * @return empty when the payload references no store secret
     * @throws DomainProblem (422) naming each environment variable whose secret does not exist in the account
     */
    public Optional<Resolved> resolve(String accountId, JsonNode payload) {
        JsonNode map = payload == null ? null : payload.get("secrets");
        return resolve(accountId, map, "payload.secrets");
    }

    /**
     * Resolves the {@code secret:NAME} values of a map of names to values (a deployment's {@code variables}, say);
     * other values are left alone.
     *
     * @param field the map's field, for the errors ({@code variables} names {@code variables.DB_PASSWORD})
     * @return empty when the map references no store secret
     * @throws DomainProblem (422 UNKNOWN_SECRET) naming each entry whose secret does not exist in the account
     */
    public Optional<Resolved> resolve(String accountId, JsonNode map, String field) {
        if (map == null || !map.isObject()) {
            return Optional.empty();
        }
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        List<SecretRef> refs = new ArrayList<>();
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String ref = e.getValue().isTextual() ? e.getValue().asText() : "";
            if (!ref.startsWith(PREFIX)) {
                continue;
            }
            String entry = field + "." + e.getKey();
            String name = ref.substring(PREFIX.length());
            Optional<AccountSecret> secret =
                    SecretRules.validName(name) ? secrets.dao().find(accountId, name) : Optional.empty();
            if (secret.isEmpty()) {
                errors.add(new Problem.FieldError(entry, unknown(name)));
            } else if (e.getKey().isEmpty() || e.getKey().length() > 256) {
                errors.add(new Problem.FieldError(entry, "names an environment variable of 1 to 256 characters."));
            } else {
                values.put(e.getKey(), secrets.openCurrent(secret.get()));
                refs.add(new SecretRef(e.getKey(), name, secret.get().currentVersion()));
            }
        }
        if (!errors.isEmpty()) {
            throw unresolved(errors);
        }
        if (refs.isEmpty()) {
            return Optional.empty();
        }
        int bytes = values.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_RESOLVED_BYTES) {
            throw DomainProblem.invalidField(
                    field,
                    "references secrets that take " + bytes + " bytes together; a task carries at most "
                            + MAX_RESOLVED_BYTES + ". Reference fewer or smaller secrets.");
        }
        return Optional.of(new Resolved(values, List.copyOf(refs)));
    }

    /** Records where the secrets are used: call before the task is stored (readers join the task). */
    public void recordUses(String accountId, String taskId, Resolved resolved, Instant at) {
        secrets.dao().recordUses(accountId, taskId, resolved.refs(), at);
    }

    /** 422 UNKNOWN_SECRET: the detail and the field errors name each environment variable and its secret. */
    private static DomainProblem unresolved(List<Problem.FieldError> errors) {
        return DomainProblem.unresolved("UNKNOWN_SECRET", "Unknown secret", errors);
    }

    private static String unknown(String name) {
        if (!SecretRules.validName(name)) {
            return "(\"secret:" + SecretRules.shorten(name) + "\") does not name a secret: after `secret:` comes a "
                    + "name of 1 to 128 letters, digits, '_', '.' or '-'.";
        }
        return "references secret `" + name + "`, which does not exist in this account; create it in Setup → "
                + "Secrets (POST /api/v1/secrets) or correct the name. Nothing was submitted.";
    }
}
