package io.conveyor.gateway.publish;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs as task ids. Ids are unguessable, since anyone holding one can read the task, so they
 * come from a SecureRandom; one per thread, because {@link UUID#randomUUID()} shares a single one and request
 * threads queued on it under load.
 */
final class TaskIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private TaskIds() {}

    static String next() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }
}
