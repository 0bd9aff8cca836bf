package org.opendelegate.delegate.client;

/**
 * A raw answer from the Manager.
 *
 * @param status the HTTP status
 * @param contentType the Content-Type header, or null
 * @param retryAfter the Retry-After header, or null
 * @param location the Location header, or null
 * @param body the body, possibly empty
 */
record HttpReply(int status, String contentType, String retryAfter, String location, byte[] body) {

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
