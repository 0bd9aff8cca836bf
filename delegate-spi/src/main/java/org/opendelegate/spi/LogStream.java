package org.opendelegate.spi;

/** Which output of a task's process a log line came from. */
public enum LogStream {
    /** The process's standard output. */
    STDOUT,
    /** The process's standard error, shown marked as such. */
    STDERR
}
