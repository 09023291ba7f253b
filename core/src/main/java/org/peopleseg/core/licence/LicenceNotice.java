// SPDX-License-Identifier: Apache-2.0
package org.peopleseg.core.licence;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What a model's weights licence means for what a command writes from them. The AGPL-3.0 (the Ultralytics / ST YOLO
 * weights) is a strong copyleft licence: a package, a fine-tuned or a quantised model made from such weights is a
 * derived work and stays AGPL-3.0 whatever this project's own Apache-2.0 licence says. Every command that writes such
 * an artefact ({@code import}, {@code build}, later {@code train} and {@code quantize}) says so once, through one
 * instance of this class, so the wording is the same everywhere and a command writing many files (checkpoints,
 * epochs) does not repeat it.
 *
 * <p>Recognising the licence works on the free text recorded in a package ({@code peopleseg.licence}) or in a source
 * file's own metadata: SPDX ids ({@code AGPL-3.0}, {@code AGPL-3.0-only}, {@code AGPL-3.0-or-later}), Ultralytics'
 * "AGPL-3.0 License (https://ultralytics.com/license)" and the spelled-out "GNU Affero General Public License".
 */
public final class LicenceNotice {
    private final PrintWriter out;
    private boolean said;

    /** @param out where the one line goes (the command's standard output, next to its summary) */
    public LicenceNotice(PrintWriter out) {
        this.out = out;
    }

    /**
     * Says, the first time it is called with AGPL weights on this instance, that {@code artefact} stays AGPL-3.0.
     *
     * @param weightsLicence the licence of the weights the artefact was made from (null: unknown, nothing said)
     * @param artefact       what was written, as the user should read it (usually the output path)
     * @return true if the line was printed by this call
     */
    public boolean derivedArtefact(String weightsLicence, Object artefact) {
        if (said || !isAgpl(weightsLicence)) {
            return false;
        }
        said = true;
        out.println(line(String.valueOf(artefact)));
        out.flush();
        return true;
    }

    /** True when the licence text names the GNU Affero General Public License. */
    public static boolean isAgpl(String licence) {
        if (licence == null) {
            return false;
        }
        String l = licence.toLowerCase(Locale.ROOT);
        // "agpl" cannot occur inside "lgpl" or "gpl", so a plain substring test is safe
        return l.contains("agpl") || l.contains("affero");
    }

    /** The notice itself: the fact, then what it implies, in one sentence each. */
    static String line(String artefact) {
        return "LICENCE: " + artefact + " is derived from AGPL-3.0 weights and stays AGPL-3.0: if you give it to "
                + "anyone, or let people use it over a network, you must offer them the model and its corresponding "
                + "source under the AGPL-3.0 too.";
    }

    /**
     * A short remark to show after a licence in listings ({@code peopleseg models}), or "" when there is nothing to
     * add: copyleft for AGPL weights, a warning for a licence nobody recorded.
     */
    public static String remark(String licence) {
        if (isAgpl(licence)) {
            return "copyleft: packages, fine-tuned and quantised models made from it stay AGPL-3.0";
        }
        String l = licence == null ? "" : licence.strip().toLowerCase(Locale.ROOT);
        if (l.isEmpty() || l.startsWith("unknown") || l.startsWith("not recorded")) {
            return "not known: check the weights' source before you use or ship this model";
        }
        return "";
    }
}
