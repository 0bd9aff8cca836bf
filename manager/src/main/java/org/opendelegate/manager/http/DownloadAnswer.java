package org.opendelegate.manager.http;

import io.javalin.http.Context;
import org.opendelegate.manager.installers.Download;

/**
 * A delegate installer as a file download, with the headers that name the delegate token it carries. The
 * API and the console's Download Delegate dialog answer alike.
 */
public final class DownloadAnswer {
    private DownloadAnswer() {}

    public static void send(Context ctx, Download download) {
        ctx.status(200)
                .contentType("application/gzip")
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"");
        if (download.tokenId() != null) {
            // An ECS download with IAM authentication has no token.
            ctx.header("X-OpenDelegate-Token-Id", download.tokenId());
        }
        ctx.header("X-OpenDelegate-Token-Created", String.valueOf(download.tokenCreated()))
                .result(download.archive());
    }
}
