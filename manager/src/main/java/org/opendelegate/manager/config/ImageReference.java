package org.opendelegate.manager.config;

import java.util.regex.Pattern;

/**
 * The shape of a container image reference as Docker and ECS accept it: an optional registry host
 * (with port), lower-case path components, an optional tag and an optional digest, e.g.
 * {@code 123456789012.dkr.ecr.us-east-1.amazonaws.com/opendelegate/delegate:0.1.0}.
 */
public final class ImageReference {
    /** What to tell a person whose image reference was refused. */
    public static final String RULE = "a container image reference such as opendelegate/delegate:0.1.0 or "
            + "123456789012.dkr.ecr.us-east-1.amazonaws.com/opendelegate/delegate:0.1.0 (at most 255 characters, "
            + "lower-case repository path, optional :tag and @sha256:digest)";

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    /** A registry host is told from a path component by a dot, a port, or being localhost (as Docker does). */
    private static final String DOMAIN = "(?:localhost(?::[0-9]{1,5})?|" + DOMAIN_COMPONENT + "(?:\\."
            + DOMAIN_COMPONENT + ")+(?::[0-9]{1,5})?|" + DOMAIN_COMPONENT + ":[0-9]{1,5})";

    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/"
            + PATH_COMPONENT + ")*(?::" + TAG + ")?(?:@" + DIGEST + ")?");

    private ImageReference() {}

    /** True when {@code image} is a well-formed image reference of at most 255 characters. */
    public static boolean isValid(String image) {
        return image != null
                && image.length() <= 255
                && REFERENCE.matcher(image).matches();
    }

    /** The default delegate image of a Manager version. */
    public static String defaultDelegateImage(String managerVersion) {
        String tag = managerVersion.matches(TAG) ? managerVersion : "latest";
        return "opendelegate/delegate:" + tag;
    }
}
