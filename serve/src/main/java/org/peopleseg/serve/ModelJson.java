package org.peopleseg.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import org.peopleseg.runtime.model.ModelMetadata;

/** The JSON documents that describe models: v2 metadata, the repository index, and the page's model list. */
final class ModelJson {
    private ModelJson() {}

    /** v2 model metadata: name, versions, platform, inputs and outputs. */
    static byte[] metadata(ServedModel m) {
        return Reply.json(g -> {
            g.writeStringField("name", m.name());
            g.writeArrayFieldStart("versions");
            g.writeString(ModelRepository.VERSION);
            g.writeEndArray();
            g.writeStringField("platform", TensorSpec.PLATFORM);
            tensors(g, "inputs", TensorSpec.INPUTS);
            tensors(g, "outputs", TensorSpec.OUTPUTS);
        });
    }

    private static void tensors(JsonGenerator g, String field, List<TensorSpec> specs) throws IOException {
        g.writeArrayFieldStart(field);
        for (TensorSpec t : specs) {
            g.writeStartObject();
            g.writeStringField("name", t.name());
            g.writeStringField("datatype", t.datatype());
            g.writeFieldName("shape");
            g.writeArray(t.shape(), 0, t.shape().length);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Triton's repository index: a JSON array of {name, version, state, reason}. */
    static byte[] index(List<ModelRepository.Entry> entries) {
        return Reply.jsonArray(g -> {
            for (ModelRepository.Entry e : entries) {
                g.writeStartObject();
                g.writeStringField("name", e.name());
                if (e.state().equals("READY")) {
                    g.writeStringField("version", ModelRepository.VERSION);
                }
                g.writeStringField("state", e.state());
                g.writeStringField("reason", e.reason());
                g.writeEndObject();
            }
        });
    }

    /** The loaded models with what the page shows about them. */
    static byte[] list(List<ServedModel> models) {
        return Reply.json(g -> {
            g.writeArrayFieldStart("models");
            for (ServedModel m : models) {
                ModelMetadata meta = m.metadata();
                g.writeStartObject();
                g.writeStringField("name", m.name());
                g.writeStringField("architecture", meta.architecture());
                g.writeStringField("precision", meta.precision());
                g.writeNumberField("input_width", meta.inputWidth());
                g.writeNumberField("input_height", meta.inputHeight());
                g.writeBooleanField("untrained", meta.untrained());
                g.writeNumberField("instances", m.instances());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }
}
