package dev.quiesce.jobs;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered job ids (UUIDv7 text): inserts land at the end of the primary key's B-tree, and ordering by id
 * is ordering by submission, which keyset paging relies on. Monotonic within one process even when several
 * ids share a millisecond. Thread-safe. The random bits make ids unique, not secret (ids are not credentials: with
 * {@code quiesce.api.token} set, reading a job takes the token), so they come from {@link ThreadLocalRandom},
 * which, unlike a shared {@code SecureRandom}, does not make concurrent submits queue for one lock.
 */
public final class JobIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Clock clock;
    private long lastMillis = -1;
    private long sequence;

    public JobIds(Clock clock) {
        this.clock = clock;
    }

    public String next() {
        long millis;
        long seq;
        synchronized (this) {
            millis = Math.max(clock.millis(), lastMillis);
            if (millis == lastMillis) {
                sequence++;
                if (sequence > 0xFFF) { // 12 bits used up within this millisecond: borrow the next one
                    millis++;
                    sequence = 0;
                }
            } else {
                sequence = ThreadLocalRandom.current().nextInt(0x400); // leave room to count up
            }
            lastMillis = millis;
            seq = sequence;
        }
        long msb = (millis << 16) | 0x7000L | seq;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] out = new char[36];
        int p = 0;
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 8 || p == 13) {
                out[p++] = '-';
            }
            out[p++] = HEX[(int) (msb >>> i) & 0xF];
        }
        for (int i = 60; i >= 0; i -= 4) {
            if (p == 18 || p == 23) {
                out[p++] = '-';
            }
            out[p++] = HEX[(int) (lsb >>> i) & 0xF];
        }
        return new String(out);
    }

    /** Whether {@code text} has the shape of an id this class makes (cheap input check). */
    public static boolean looksLikeId(String text) {
        return text != null && text.matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
