package org.opendelegate.manager.config;

/** How the Manager writes its logs to stdout. */
public enum LogFormat {
    /** One human-readable line per event. */
    TEXT,
    /** One JSON object per event, for log shippers. */
    JSON
}
