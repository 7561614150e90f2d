package io.stupiddb.segments.api;

import java.net.URL;

/** Joins the injected management base URL ({@code http://host:port/q/}) and a path under /q. */
final class Management {
    private Management() {}

    static String url(URL base, String path) {
        String root = base.toString();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + path;
    }
}
