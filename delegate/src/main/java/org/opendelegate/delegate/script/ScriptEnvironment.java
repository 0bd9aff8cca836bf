package org.opendelegate.delegate.script;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The environment a script runs with: the delegate's own, minus the delegate's credentials, plus the task's
 * variables, its resolved secrets, {@code OPENDELEGATE_TASK_ID} and {@code OPENDELEGATE_OUTPUT}.
 *
 * <p>What is taken out, and why:
 * <ul>
 *   <li>{@code DELEGATE_TOKEN}: it registers delegates into this account; a script that could read it could
 *       register a rogue delegate. The session credential never is in the environment (it lives in memory).</li>
 *   <li>every other {@code DELEGATE_*} variable whose name says it is secret (ends in {@code TOKEN},
 *       {@code PASSWORD}, {@code SECRET}, {@code CREDENTIAL(S)} or {@code KEY}), so that a secret setting added
 *       later is removed without anyone remembering this list. The other {@code DELEGATE_*} settings (group,
 *       name, selectors, work directory) are not secret and tell a script where it runs.</li>
 *   <li>every {@code OPENDELEGATE_*} variable: the delegate reads none, they are the Manager's settings, and
 *       several are secrets (master key, database password, admin API key, first delegate token) that a
 *       delegate installed next to a Manager would otherwise hand to every script. The two the script needs
 *       are set afresh.</li>
 * </ul>
 * Kept on purpose: the AWS identity ({@code AWS_*}, the ECS credentials endpoint) — running with the identity
 * of the place the delegate runs in is the point of a script task — and the proxy settings, which are the
 * network path of that place.
 */
final class ScriptEnvironment {
    static final String TASK_ID = "OPENDELEGATE_TASK_ID";
    static final String OUTPUT = "OPENDELEGATE_OUTPUT";
    private static final Pattern SECRET_SETTING =
            Pattern.compile("DELEGATE_(.*_)?(TOKEN|PASSWORD|SECRET|CREDENTIALS?|KEY)");

    private ScriptEnvironment() {}

    /**
     * Fills {@code env} (a process builder's environment, the delegate's own at first).
     *
     * @param payload the task's variables
     * @param secrets the resolved secrets, by environment variable
     */
    static void build(
            Map<String, String> env,
            ScriptPayload payload,
            Map<String, String> secrets,
            String taskId,
            Path outputFile) {
        env.keySet().removeIf(ScriptEnvironment::isDelegateCredential);
        env.putAll(payload.env());
        env.putAll(secrets);
        env.put(TASK_ID, taskId);
        env.put(OUTPUT, outputFile.toString());
    }

    /** True for the delegate's own settings a script must not see. */
    static boolean isDelegateCredential(String name) {
        return name.startsWith("OPENDELEGATE_") || SECRET_SETTING.matcher(name).matches();
    }
}
