package org.opendelegate.manager.http;

import io.javalin.config.RoutesConfig;

/** A group of HTTP routes; the composition root hands each to the server. */
public interface Routes {
    /** Adds this group's routes. */
    void addTo(RoutesConfig routes);
}
