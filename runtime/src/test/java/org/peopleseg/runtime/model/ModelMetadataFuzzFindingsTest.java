package org.peopleseg.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in {@link ModelMetadata#fromProperties} (README "Fuzzing"): numbers that do not parse came out
 * as a bare NumberFormatException ("For input string: ..."), and an input size without an 'x' as an
 * ArrayIndexOutOfBoundsException; both now name the property.
 */
class ModelMetadataFuzzFindingsTest {

    private static Map<String, String> valid() {
        return new LinkedHashMap<>(new ModelMetadata("maskrcnn", "", 64, 32, "fit-pad", new double[] {0.5},
                new double[] {0.2}, List.of("person"), List.of(1), "fp32", "p", "Apache-2.0").toProperties());
    }

    private static String refusal(String key, String value) {
        Map<String, String> p = valid();
        p.put(key, value);
        return assertThrows(IllegalArgumentException.class, () -> ModelMetadata.fromProperties(p)).getMessage();
    }

    @Test
    void badNumbersNameTheirProperty() {
        assertEquals("model package metadata property peopleseg.input_size is '64htsx32', not integers",
                refusal("peopleseg.input_size", "64htsx32"));
        assertEquals("model package metadata property peopleseg.mean is '0.485,0.y56', not comma-separated numbers",
                refusal("peopleseg.mean", "0.485,0.y56"));
        assertEquals("model package metadata property peopleseg.category_ids is '1,&4', not integers",
                refusal("peopleseg.category_ids", "1,&4"));
    }

    @Test
    void inputSizeWithoutAnXIsRefused() {
        assertEquals("model package metadata property peopleseg.input_size is '64', not WIDTHxHEIGHT",
                refusal("peopleseg.input_size", "64"));
    }
}
