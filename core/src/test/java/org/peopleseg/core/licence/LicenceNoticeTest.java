// SPDX-License-Identifier: Apache-2.0
package org.peopleseg.core.licence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LicenceNoticeTest {
    @Test
    void recognisesTheAfferoGplHoweverItIsWritten() {
        for (String agpl : new String[] {"AGPL-3.0", "agpl-3.0-only", "AGPL-3.0-or-later",
                "AGPL-3.0 License (https://ultralytics.com/license)", "GNU Affero General Public License v3.0"}) {
            assertTrue(LicenceNotice.isAgpl(agpl), agpl);
        }
        for (String other : new String[] {"LGPL-2.1-or-later", "GPL-3.0", "Apache-2.0", "BSD-3-Clause",
                "unknown: as the source file x.tflite", "none (generated, untrained weights)", "", null}) {
            assertFalse(LicenceNotice.isAgpl(other), String.valueOf(other));
        }
    }

    @Test
    void saysItOncePerCommandAndOnlyForAgplWeights() {
        StringWriter text = new StringWriter();
        LicenceNotice notice = new LicenceNotice(new PrintWriter(text));
        assertFalse(notice.derivedArtefact("BSD-3-Clause", "a.onnx"));
        assertFalse(notice.derivedArtefact(null, "a.onnx"));
        assertEquals("", text.toString());
        assertTrue(notice.derivedArtefact("AGPL-3.0", "people.onnx"));
        assertFalse(notice.derivedArtefact("AGPL-3.0", "epoch-2.onnx"), "a second artefact is not announced again");
        String[] lines = text.toString().split("\\R");
        assertEquals(1, lines.length, text.toString());
        assertTrue(lines[0].startsWith("LICENCE: people.onnx is derived from AGPL-3.0 weights and stays AGPL-3.0"),
                lines[0]);
        assertTrue(lines[0].contains("corresponding source"), lines[0]);
    }

    @Test
    void listingRemarksFlagCopyleftAndUnknownLicences() {
        assertTrue(LicenceNotice.remark("AGPL-3.0").contains("stay AGPL-3.0"));
        assertTrue(LicenceNotice.remark("unknown: as the source file y.tflite").startsWith("not known"));
        assertTrue(LicenceNotice.remark("not recorded: that of m.pth").startsWith("not known"));
        assertEquals("", LicenceNotice.remark("BSD-3-Clause"));
        assertEquals("", LicenceNotice.remark("none (generated, untrained weights)"));
    }
}
