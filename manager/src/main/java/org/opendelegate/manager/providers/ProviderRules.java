package org.opendelegate.manager.providers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.opendelegate.manager.delegates.Selectors;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.protocol.Problem;

/** The rules of a cloud provider's settings, with a message per field that says what would be right. */
final class ProviderRules {
    static final String DELEGATE_IAM_ROLE = "DELEGATE_IAM_ROLE";
    static final String ACCESS_KEY = "ACCESS_KEY";
    /** A region id: {@code us-east-1}, {@code us-gov-west-1}, {@code cn-north-1}, {@code ap-southeast-3}. */
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+){1,2}-\\d{1,2}");

    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws(-[a-z]+)*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private ProviderRules() {}

    /**
     * Settings that passed the rules.
     *
     * @param secretAccessKey the new secret, or null to keep the stored one (or for none)
     */
    record Valid(
            String name,
            String region,
            String credentialsType,
            List<String> selectors,
            String accessKeyId,
            String secretAccessKey,
            String roleArn,
            String externalId) {
        @Override
        public String toString() {
            return "Valid[name=" + name + ", credentialsType=" + credentialsType + "]";
        }
    }

    /**
     * @param hasStoredSecret true on an edit of a provider that already holds a secret access key
     * @throws DomainProblem listing every field at fault
     */
    static Valid validate(CloudProviderRequest r, boolean hasStoredSecret) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty() || name.length() > 100 || CONTROL.matcher(name).find()) {
            errors.add(new Problem.FieldError(
                    "name", "is required: 1 to 100 printable characters, e.g. " + "\"AWS production\"."));
        }
        if (r.type() != null && !r.type().equals("AWS")) {
            errors.add(new Problem.FieldError("type", "(\"" + r.type() + "\") must be \"AWS\", the only type so far."));
        }
        String region = r.region() == null ? "" : r.region().trim();
        if (!REGION.matcher(region).matches()) {
            errors.add(new Problem.FieldError(
                    "region",
                    "(\"" + r.region() + "\") is not an AWS region id; write e.g. "
                            + "\"us-east-1\" or \"eu-central-1\"."));
        }
        CloudProviderRequest.Credentials c = r.credentials();
        String type = c == null ? null : c.type();
        List<String> selectors = List.of();
        String accessKeyId = null;
        String secret = null;
        if (c == null || !(DELEGATE_IAM_ROLE.equals(type) || ACCESS_KEY.equals(type))) {
            errors.add(new Problem.FieldError(
                    "credentials.type",
                    "is required: \"DELEGATE_IAM_ROLE\" (Assume IAM Role " + "on Delegate) or \"ACCESS_KEY\"."));
        } else {
            try {
                selectors = Selectors.validate("credentials.delegateSelectors", c.delegateSelectors());
            } catch (DomainProblem e) {
                errors.addAll(e.errors());
            }
            if (DELEGATE_IAM_ROLE.equals(type)) {
                boolean badSelector =
                        errors.stream().anyMatch(e -> e.field().startsWith("credentials.delegateSelectors"));
                if (selectors.isEmpty() && !badSelector) {
                    errors.add(new Problem.FieldError(
                            "credentials.delegateSelectors",
                            "Delegate selectors are required "
                                    + "for Assume IAM Role on Delegate: name the selector of the delegates whose IAM role "
                                    + "should act, e.g. [\"ecs-prod\"]."));
                }
                if (c.accessKeyId() != null || c.secretAccessKey() != null) {
                    errors.add(new Problem.FieldError(
                            "credentials",
                            "has an access key, which Assume IAM Role on "
                                    + "Delegate does not use; remove accessKeyId and secretAccessKey."));
                }
            } else {
                accessKeyId = c.accessKeyId() == null ? "" : c.accessKeyId().trim();
                if (!ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
                    errors.add(new Problem.FieldError(
                            "credentials.accessKeyId",
                            "is required for ACCESS_KEY: 16 to 128 "
                                    + "upper-case letters and digits, e.g. \"AKIAIOSFODNN7EXAMPLE\"."));
                }
                secret = c.secretAccessKey();
                if (secret == null || secret.isEmpty()) {
                    secret = null;
                    if (!hasStoredSecret) {
                        errors.add(
                                new Problem.FieldError("credentials.secretAccessKey", "is required for ACCESS_KEY."));
                    }
                } else if (secret.length() > 256 || secret.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f)) {
                    errors.add(new Problem.FieldError(
                            "credentials.secretAccessKey", "must be 1 to 256 characters " + "without spaces."));
                }
            }
        }
        String roleArn = null;
        String externalId = null;
        if (r.crossAccountRole() != null) {
            roleArn = r.crossAccountRole().roleArn() == null
                    ? ""
                    : r.crossAccountRole().roleArn().trim();
            if (!ROLE_ARN.matcher(roleArn).matches()) {
                errors.add(
                        new Problem.FieldError(
                                "crossAccountRole.roleArn",
                                "(\"" + r.crossAccountRole().roleArn()
                                        + "\") is not an IAM role ARN; write e.g. \"arn:aws:iam::123456789012:role/deployer\"."));
            }
            String ext = r.crossAccountRole().externalId();
            externalId = ext == null || ext.isBlank() ? null : ext.trim();
            if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
                errors.add(new Problem.FieldError(
                        "crossAccountRole.externalId",
                        "must be 2 to 1224 letters, digits or " + "+=,.@:/-_ characters."));
            }
        }
        if (!errors.isEmpty()) {
            throw DomainProblem.invalid(errors);
        }
        return new Valid(name, region, type, selectors, accessKeyId, secret, roleArn, externalId);
    }
}
