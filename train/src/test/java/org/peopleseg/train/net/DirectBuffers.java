package org.peopleseg.train.net;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * For tests of code that must not leave libtorch pointing into Java memory: frees every unreachable direct buffer
 * now, as a collection during a training step would.
 */
public final class DirectBuffers {
    private DirectBuffers() {}

    /** Collects until the count of live direct buffers stops falling (their memory is freed by a JDK thread). */
    public static void collect() {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getCount();
        long last = Long.MAX_VALUE;
        for (int stable = 0, i = 0; stable < 3 && i < 100; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            }
            long now = direct.getCount();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
        System.out.printf("direct buffers: %d before the collection, %d after%n", before, last);
    }

}
