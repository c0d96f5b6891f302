package dev.quiesce.store;

/**
 * The database refused one piece of work for a reason of that piece (a constraint, a value it cannot hold),
 * while the store itself works: the other pieces of its group commit went through.
 */
public final class StoreRejectedException extends RuntimeException {

    StoreRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
