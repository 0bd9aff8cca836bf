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

    /**
     * A time-ordered id for a new row of a table that grows fast (tasks): a UUID version 7, i.e. the
     * millisecond Unix time in the first 48 bits, then 74 random bits (version and variant in the other 6),
     * so ids stay unguessable while rows created together sort together. New rows of such a table then go
     * to the last few pages of its primary key instead of a random page each, and a commit writes those
     * few pages.
     */
    public static String newTimeOrderedId() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | ((random[0] & 0x0fL) << 8) | (random[1] & 0xffL);
        long low = 0x8000000000000000L | (random[2] & 0x3fL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (random[i] & 0xffL) << (8 * (9 - i));
        }
        return new java.util.UUID(high, low).toString();
    }
}
