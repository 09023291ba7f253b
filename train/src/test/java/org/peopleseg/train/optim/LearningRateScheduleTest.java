package org.peopleseg.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** TAO's step_learning_rate_with_linear_warmup, with learning_rate_levels = decay * init_lr as TAO reads the spec. */
class LearningRateScheduleTest {

    @Test
    void linearWarmupThenStepsAtInitTimesDecayLevel() {
        // the card's schedule: warmup 1000 from 1e-4 to 5e-3, then x0.1 at 10000, x0.02 at 15000, x0.01 at 20000
        var s = new LearningRateSchedule(1000, 0.0001, 0.005, new double[] {10000, 15000, 20000},
                new double[] {0.1, 0.02, 0.01});
        assertEquals(0.0001, s.at(0), 1e-9);
        assertEquals(0.0001 + 0.5 * (0.005 - 0.0001), s.at(500), 1e-9);
        assertEquals(0.0001 + 0.999 * (0.005 - 0.0001), s.at(999), 1e-8);
        assertEquals(0.005, s.at(1000), 0);
        assertEquals(0.005, s.at(9999), 0);
        assertEquals(0.0005, s.at(10000), 1e-12);
        assertEquals(0.0001, s.at(15000), 1e-12);
        assertEquals(0.00005, s.at(20000), 1e-12);
        assertEquals(0.00005, s.at(25000), 1e-12);
    }

    @Test
    void noWarmupStartsAtTheInitialRate() {
        var s = new LearningRateSchedule(0, 0.0001, 0.02, new double[0], new double[0]);
        assertEquals(0.02, s.at(0), 0);
        assertEquals(0.02, s.at(123456), 0);
    }
}
