package org.opendelegate.manager.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.opendelegate.manager.http.RequestPrincipal;

/**
 * The answers the REST resources share: what the caller's account holds (a list under a name, or one
 * item by the {@code {id}} in the path), and a newly created item with its {@code Location}.
 */
final class AccountReads {
    private AccountReads() {}

    /** Answers {@code {"<name>": [...]}}: the list the function gives for the caller's account. */
    static Handler list(String name, Function<String, ?> listOfAccount) {
        return ctx -> ctx.json(
                Map.of(name, listOfAccount.apply(RequestPrincipal.of(ctx).accountId())));
    }

    /** Answers the item the function gives for the caller's account and the {@code {id}} in the path. */
    static Handler item(BiFunction<String, String, ?> itemOfAccount) {
        return ctx -> ctx.json(itemOfAccount.apply(RequestPrincipal.of(ctx).accountId(), ctx.pathParam("id")));
    }

    /** Answers 201 with the new item and where it now lives. */
    static void created(Context ctx, String location, Object item) {
        ctx.status(201).header("Location", location).json(item);
    }
}
