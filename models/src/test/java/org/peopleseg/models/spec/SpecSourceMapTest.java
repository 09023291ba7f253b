package org.peopleseg.models.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpecSourceMapTest {

    @Test
    void findsNamesValuesAndCharactersInStrings() {
        String text = "seed: 1 # comment with \"quotes\" and a: colon\n"
                + "maskrcnn_config {\n"
                + "\tnlayers: 50\n"
                + "  aspect_ratios: \"[(1.0, 1.0)]\"\n"
                + "  wandb { tags: [\"a\", \"b\"] }\n"
                + "}\n"
                + "seed: 7\n";
        SourceMap map = SourceMap.scan(text);
        assertEquals(new SourceMap.Position(7, 1), map.field("seed").orElseThrow().name(), "the last occurrence wins");
        assertEquals(new SourceMap.Position(7, 7), map.field("seed").orElseThrow().value());
        assertEquals(new SourceMap.Position(2, 1), map.field("maskrcnn_config").orElseThrow().name());
        assertEquals(new SourceMap.Position(3, 11), map.field("maskrcnn_config.nlayers").orElseThrow().value(), "a tab is one column");
        assertEquals(new SourceMap.Position(4, 18), map.field("maskrcnn_config.aspect_ratios").orElseThrow().value());
        assertEquals(new SourceMap.Position(4, 19 + 3), map.charInString("maskrcnn_config.aspect_ratios", 3).orElseThrow());
        assertEquals(new SourceMap.Position(5, 18), map.field("maskrcnn_config.wandb.tags").orElseThrow().value());
        assertTrue(map.field("colon").isEmpty(), "comments are skipped");
    }

    @Test
    void escapedStringsFallBackToTheOpeningQuote() {
        SourceMap map = SourceMap.scan("checkpoint: \"a\\\"b(\"\n");
        assertEquals(new SourceMap.Position(1, 13), map.charInString("checkpoint", 4).orElseThrow());
    }
}
