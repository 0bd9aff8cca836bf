package org.opendelegate.manager.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Generates and hashes bearer secrets (API keys, delegate tokens). Secrets are 256 random bits, so a
 * fast hash (SHA-256) is enough to make a stolen database useless; passwords, which people choose, get
 * a slow hash elsewhere.
 */
public final class Secrets {
    /** Prefix of generated API keys, so a leaked key is recognisable in logs and scanners. */
    public static final String API_KEY_PREFIX = "odk_";
    /** Prefix of generated delegate tokens. */
    public static final String DELEGATE_TOKEN_PREFIX = "odt_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** A new secret: the prefix followed by 256 random bits in URL-safe base64. */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The stored form of a secret: lower-case hex SHA-256. */
    public static String hash(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A random id for a new row. */
    public static String newId() {
        return java.util.UUID.randomUUID().toString();
    }
}
