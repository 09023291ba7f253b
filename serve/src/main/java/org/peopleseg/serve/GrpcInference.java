package org.peopleseg.serve;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.peopleseg.serve.grpc.GRPCInferenceServiceGrpc;
import org.peopleseg.serve.grpc.InferParameter;
import org.peopleseg.serve.grpc.ModelInferRequest;
import org.peopleseg.serve.grpc.ModelInferResponse;
import org.peopleseg.serve.grpc.ModelMetadataRequest;
import org.peopleseg.serve.grpc.ModelMetadataResponse;
import org.peopleseg.serve.grpc.ModelReadyRequest;
import org.peopleseg.serve.grpc.ModelReadyResponse;
import org.peopleseg.serve.grpc.ServerLiveRequest;
import org.peopleseg.serve.grpc.ServerLiveResponse;
import org.peopleseg.serve.grpc.ServerMetadataRequest;
import org.peopleseg.serve.grpc.ServerMetadataResponse;
import org.peopleseg.serve.grpc.ServerReadyRequest;
import org.peopleseg.serve.grpc.ServerReadyResponse;

/**
 * The v2 {@code GRPCInferenceService}: the same models, inputs and outputs as HTTP. Outputs come back in
 * {@code raw_output_contents} (row-major little-endian; BYTES elements length-prefixed), as Triton sends them;
 * inputs may come either way ({@code raw_input_contents} or typed {@code contents}).
 */
final class GrpcInference extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceService service;
    private final ServeOptions options;
    private final PrintWriter log;

    GrpcInference(InferenceService service, ServeOptions options, PrintWriter log) {
        this.service = service;
        this.options = options;
        this.log = log;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        reply(out, ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        reply(out, ServerReadyResponse.newBuilder().setReady(!service.repository().models().isEmpty()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        boolean ready = service.repository().isReady(request.getName())
                && (request.getVersion().isEmpty() || request.getVersion().equals(ModelRepository.VERSION));
        reply(out, ModelReadyResponse.newBuilder().setReady(ready).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        reply(out, ServerMetadataResponse.newBuilder().setName("peopleseg").setVersion(options.serverVersion())
                .addAllExtensions(TensorSpec.EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        try {
            InferenceService.checkVersion(request.getVersion());
            ServedModel m = service.repository().get(request.getName());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addVersions(ModelRepository.VERSION).setPlatform(TensorSpec.PLATFORM);
            TensorSpec.INPUTS.forEach(t -> b.addInputs(tensor(t)));
            TensorSpec.OUTPUTS.forEach(t -> b.addOutputs(tensor(t)));
            reply(out, b.build());
        } catch (ServeException e) {
            fail(out, "ModelMetadata", e);
        }
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        long start = System.nanoTime();
        try {
            InferenceRequest r;
            try {
                r = parse(request);
            } catch (ServeException e) {
                service.rejected(request.getModelName(), e, start);
                throw e;
            }
            InferenceService.Result result = service.infer(r, "grpc", start);
            ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(result.model())
                    .setModelVersion(ModelRepository.VERSION).setId(request.getId())
                    .putParameters("image_width", int64(result.outcome().detections().width()))
                    .putParameters("image_height", int64(result.outcome().detections().height()));
            for (OutputTensors.Tensor t : result.tensors()) {
                ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                        .setName(t.name()).setDatatype(t.datatype());
                for (long d : t.shape()) {
                    o.addShape(d);
                }
                b.addOutputs(o);
                b.addRawOutputContents(ByteString.copyFrom(t.rawBytes()));
            }
            reply(out, b.build());
            access("ModelInfer " + request.getModelName(), "OK", start);
        } catch (ServeException e) {
            fail(out, "ModelInfer " + ModelRepository.clip(request.getModelName()), e);
            access("ModelInfer " + ModelRepository.clip(request.getModelName()), Integer.toString(e.status()), start);
        }
    }

    /** The request as both protocols share it; the same checks as HTTP. */
    static InferenceRequest parse(ModelInferRequest request) throws ServeException {
        if (request.getInputsCount() != 1 || !request.getInputs(0).getName().equals("image")) {
            throw ServeException.badRequest("the model takes one input, 'image' (BYTES [1] encoded image, or UINT8 "
                    + "[H, W, 3]); got " + request.getInputsList().stream().map(i -> "'" + ModelRepository.clip(i.getName()) + "'").toList());
        }
        ModelInferRequest.InferInputTensor in = request.getInputs(0);
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != 1) {
            throw ServeException.badRequest("raw_input_contents must hold one entry per input (1), got "
                    + request.getRawInputContentsCount());
        }
        long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
        for (long d : shape) {
            if (d < 0) {
                throw ServeException.badRequest("input 'image': negative dimension in shape " + in.getShapeList());
            }
        }
        ImageInput image = switch (in.getDatatype()) {
            case "BYTES" -> {
                if (shape.length != 1 || shape[0] != 1) {
                    throw ServeException.badRequest("input 'image': BYTES shape must be [1], got " + in.getShapeList());
                }
                if (raw) {
                    yield new ImageInput.Encoded(bytesElement(request.getRawInputContents(0)));
                }
                if (in.getContents().getBytesContentsCount() != 1) {
                    throw ServeException.badRequest("input 'image': contents must hold one bytes element, got "
                            + in.getContents().getBytesContentsCount());
                }
                yield new ImageInput.Encoded(in.getContents().getBytesContents(0).toByteArray());
            }
            case "UINT8" -> {
                long expected = ImageInput.Pixels.checkShape(shape, "image");
                byte[] rgb;
                if (raw) {
                    rgb = request.getRawInputContents(0).toByteArray();
                } else {
                    List<Integer> v = in.getContents().getUintContentsList();
                    if (v.size() != expected) {
                        throw ServeException.badRequest("input 'image': shape " + in.getShapeList() + " needs "
                                + expected + " values, got " + v.size());
                    }
                    rgb = new byte[v.size()];
                    for (int i = 0; i < rgb.length; i++) {
                        int x = v.get(i);
                        if (x < 0 || x > 255) {
                            throw ServeException.badRequest("input 'image': UINT8 values must be 0..255, got " + x);
                        }
                        rgb[i] = (byte) x;
                    }
                }
                yield ImageInput.Pixels.of(shape, rgb, "image");
            }
            default -> throw ServeException.badRequest("input 'image': datatype '"
                    + ModelRepository.clip(in.getDatatype()) + "' is not accepted: BYTES or UINT8");
        };
        List<String> outputs = new ArrayList<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : request.getOutputsList()) {
            if (!OutputTensors.NAMES.contains(o.getName())) {
                throw ServeException.badRequest("unknown output '" + ModelRepository.clip(o.getName())
                        + "': the outputs are " + String.join(", ", OutputTensors.NAMES));
            }
            outputs.add(o.getName());
        }
        return new InferenceRequest(request.getModelName(), request.getModelVersion(), request.getId(), image,
                outputs, java.util.Set.of());
    }

    /** A raw BYTES element: 4-byte little-endian length, then the bytes (a bare file is accepted too). */
    private static byte[] bytesElement(ByteString raw) {
        if (raw.size() >= 4) {
            long n = ByteBuffer.wrap(raw.substring(0, 4).toByteArray()).order(ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xffffffffL;
            if (n == raw.size() - 4) {
                return raw.substring(4).toByteArray();
            }
        }
        return raw.toByteArray();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    private static InferParameter int64(long v) {
        return InferParameter.newBuilder().setInt64Param(v).build();
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static void fail(StreamObserver<?> out, String call, ServeException e) {
        Status s = switch (e.status()) {
            case 400, 413 -> Status.INVALID_ARGUMENT;
            case 401 -> Status.UNAUTHENTICATED;
            case 404 -> Status.NOT_FOUND;
            case 503 -> Status.UNAVAILABLE;
            case 504, 408 -> Status.DEADLINE_EXCEEDED;
            default -> Status.INTERNAL;
        };
        out.onError(s.withDescription(e.getMessage()).asRuntimeException());
    }

    private void access(String what, String status, long start) {
        log.printf(Locale.ROOT, "grpc %s %s %.1fms%n", what, status, (System.nanoTime() - start) / 1e6);
        log.flush();
    }
}
