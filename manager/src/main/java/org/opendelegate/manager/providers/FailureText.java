package org.opendelegate.manager.providers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Splits why a provider's task failed into the sentence a person reads first and the technical details
 * they may open: what AWS or its SDK said verbatim. The delegate writes those in parentheses after its own
 * words ("this delegate has no AWS credentials for sts:GetCallerIdentity: ... (Unable to load credentials from
 * any of the providers in the chain ...)", "access denied: ... (AWS said: ...)"); a parenthesis that quotes AWS
 * or runs long is technical, a short one ("(it ran on ecs-1)") stays in the sentence.
 *
 * @param sentence the message without its technical parts
 * @param details the technical parts, one per line, each once; null when there were none
 */
public record FailureText(String sentence, String details) {
    /** A parenthesis longer than this is an SDK's or a service's text, not ours. */
    static final int TECHNICAL_LENGTH = 150;

    /** The message split; a null message is an empty sentence. */
    public static FailureText of(String message) {
        if (message == null) {
            return new FailureText("", null);
        }
        StringBuilder sentence = new StringBuilder();
        Set<String> details = new LinkedHashSet<>();
        int depth = 0;
        int open = -1;
        int copiedUpTo = 0;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '(') {
                if (depth == 0) {
                    open = i;
                }
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                if (depth == 0) {
                    String inside = message.substring(open + 1, i).trim();
                    if (isTechnical(inside)) {
                        sentence.append(message, copiedUpTo, open);
                        details.add(inside);
                        copiedUpTo = i + 1;
                    }
                }
            }
        }
        if (depth > 0) {
            // The delegate cuts long SDK text at 500 characters, which can leave parentheses open inside it: the
            // group then ends at the last closing parenthesis.
            int close = message.lastIndexOf(')');
            String inside = close > open ? message.substring(open + 1, close).trim() : "";
            if (open >= copiedUpTo && isTechnical(inside)) {
                sentence.append(message, copiedUpTo, open);
                details.add(inside);
                copiedUpTo = close + 1;
            }
        }
        sentence.append(message.substring(copiedUpTo));
        if (details.isEmpty()) {
            return new FailureText(message, null);
        }
        String tidy = sentence.toString()
                .replaceAll("[ \\t]+([.;:,])", "$1")
                .replaceAll("[ \\t]{2,}", " ")
                .replaceAll(":([.;])", "$1")
                .trim();
        return new FailureText(tidy, String.join("\n", new ArrayList<>(details)));
    }

    private static boolean isTechnical(String inside) {
        return inside.startsWith("AWS said:") || inside.length() > TECHNICAL_LENGTH;
    }
}
