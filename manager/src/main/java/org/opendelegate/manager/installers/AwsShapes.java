package org.opendelegate.manager.installers;

import java.util.regex.Pattern;

/**
 * The shapes AWS accepts for the names and ARNs an installer writes into a task definition, with the
 * sentence to show a person whose value does not fit. Everything that reaches a generated file passes
 * one of these first, so that no value can break out of the JSON, YAML or shell it lands in.
 */
final class AwsShapes {
    private static final String PARTITION = "aws(?:-cn|-us-gov)?";
    private static final String REGION_PART = "[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}";

    static final Pattern REGION = Pattern.compile(REGION_PART);
    static final String REGION_RULE = "an AWS region code such as us-east-1 or eu-central-1";

    static final Pattern ROLE_ARN = Pattern.compile(
            "arn:" + PARTITION + ":iam::[0-9]{12}:role/(?:[A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}");
    static final String ROLE_ARN_RULE = "an IAM role ARN such as arn:aws:iam::123456789012:role/opendelegate-task";

    static final Pattern SSM_PARAMETER_ARN = Pattern.compile(
            "arn:" + PARTITION + ":ssm:" + REGION_PART + ":[0-9]{12}:parameter/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*");
    static final Pattern SECRETS_MANAGER_ARN = Pattern.compile("arn:" + PARTITION + ":secretsmanager:" + REGION_PART
            + ":[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}(?::[A-Za-z0-9/_+=.@-]*){0,3}");
    static final String SECRET_ARN_RULE = "the full ARN of an SSM Parameter Store parameter "
            + "(arn:aws:ssm:us-east-1:123456789012:parameter/opendelegate/token) or of a Secrets Manager secret "
            + "(arn:aws:secretsmanager:us-east-1:123456789012:secret:opendelegate-token-AbCdEf)";

    static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9._/#-]{1,512}");
    static final String LOG_GROUP_RULE = "1 to 512 characters: letters, digits, '.', '_', '/', '#' or '-'";

    /** Task definition families and service names share this rule. */
    static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    static final String ECS_NAME_RULE = "1 to 255 characters: letters, digits, '_' or '-'";

    /** Host names: dot-separated labels, at most 63 characters in all (the delegate's name comes from it). */
    static final Pattern HOSTNAME = Pattern.compile("(?=.{1,63}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    static final String HOSTNAME_RULE = "a host name of at most 63 characters: letters, digits and '-', in labels "
            + "separated by '.', no label starting or ending with '-'";

    /** Profile names: also written into a shell-readable config file, so a narrow character set. */
    static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,98}[A-Za-z0-9._-])?");

    static final String PROFILE_RULE = "1 to 100 characters: letters, digits, spaces, '.', '_' or '-', starting "
            + "with a letter or digit and not ending with a space";

    private AwsShapes() {}

    /** True when the ARN names an SSM parameter (false: a Secrets Manager secret). */
    static boolean isSsmParameter(String arn) {
        return SSM_PARAMETER_ARN.matcher(arn).matches();
    }

    /** The parameter name an SSM parameter ARN stands for: {@code /a/b} for {@code parameter/a/b}. */
    static String ssmParameterName(String arn) {
        String rest = arn.substring(arn.indexOf(":parameter/") + ":parameter/".length());
        return rest.contains("/") ? "/" + rest : rest;
    }
}
