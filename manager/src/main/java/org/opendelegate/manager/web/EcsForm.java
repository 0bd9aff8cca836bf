package org.opendelegate.manager.web;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opendelegate.manager.installers.EcsInstallerRequest;

/**
 * The ECS form of the Download Delegate dialog read into the installer's request. The dialog shows
 * only the fields of the chosen mode (the others are disabled, so browsers do not send them); what is
 * sent goes to the installer as it is, which decides what is valid. Only reading a number is done here.
 *
 * @param problems fields whose text is not a whole number
 */
record EcsForm(EcsInstallerRequest request, Map<String, String> problems) {

    static EcsForm read(Context ctx) {
        Map<String, String> sent = InstallForm.sent(ctx);
        Map<String, String> problems = new LinkedHashMap<>();
        EcsInstallerRequest request = new EcsInstallerRequest(
                sent.get("delegateGroupName"),
                sent.get("profile"),
                sent.containsKey("awsVpcMode") && !"false".equals(sent.get("awsVpcMode")),
                sent.get("launchType"),
                sent.get("hostname"),
                number(sent, "cpu", problems),
                number(sent, "memory", problems),
                sent.get("taskRoleArn"),
                sent.get("executionRoleArn"),
                sent.get("logGroup"),
                sent.get("region"),
                sent.get("image"),
                sent.get("tokenSecretArn"),
                sent.get("tokenId"),
                sent.get("tokenName"),
                sent.get("family"),
                sent.get("serviceName"),
                number(sent, "desiredCount", problems),
                sent.containsKey("assignPublicIp") && !"false".equals(sent.get("assignPublicIp")),
                "iam".equals(sent.get("tokenDelivery")) ? "IAM" : null,
                sent.get("managerCaCert"),
                sent.get("managerCertSha256"));
        return new EcsForm(request, Map.copyOf(problems));
    }

    private static Integer number(Map<String, String> sent, String field, Map<String, String> problems) {
        String raw = sent.get(field);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.trim());
        } catch (NumberFormatException e) {
            problems.put(field, InstallForm.sentence(field, "(\"" + printable(raw) + "\") must be a whole number."));
            return null;
        }
    }

    private static String printable(String raw) {
        String cut = raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
