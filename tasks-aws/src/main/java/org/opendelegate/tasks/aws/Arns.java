package org.opendelegate.tasks.aws;

/** Reading names out of ARNs. */
final class Arns {
    private Arns() {}

    /** The part after the last {@code /} (or {@code :}), e.g. the cluster name of a cluster ARN. */
    static String lastPart(String arn) {
        int cut = Math.max(arn.lastIndexOf('/'), arn.lastIndexOf(':'));
        return cut < 0 ? arn : arn.substring(cut + 1);
    }
}
