package org.opendelegate.delegate.config;

/** How the delegate writes its own log: plain text lines, or one JSON object per line for log shippers. */
public enum LogFormat {
    TEXT,
    JSON
}
