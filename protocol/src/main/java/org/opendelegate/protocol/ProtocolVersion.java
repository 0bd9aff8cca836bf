package org.opendelegate.protocol;

/**
 * The version of the Manager–Delegate wire protocol. A delegate sends it on every call in the
 * {@link #HEADER} header; the Manager refuses versions it cannot speak with a clear message, so an
 * outdated delegate says "upgrade me" instead of failing in odd ways.
 */
public final class ProtocolVersion {
    /**
     * The version this build speaks. Version 2 binds every call after registration to its session (a session
     * credential, lease ids); version 1 is refused because it has no such binding.
     */
    public static final int CURRENT = 2;
    /** The request header that carries the protocol version. */
    public static final String HEADER = "X-OpenDelegate-Protocol";

    private ProtocolVersion() {}
}
