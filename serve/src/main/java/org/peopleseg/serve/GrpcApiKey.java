package org.peopleseg.serve;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/** The API key over gRPC: {@code authorization: Bearer KEY} metadata on every call but the health checks. */
final class GrpcApiKey implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> OPEN = Set.of("inference.GRPCInferenceService/ServerLive",
            "inference.GRPCInferenceService/ServerReady");

    private final byte[] key;

    GrpcApiKey(String key) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        if (key != null && !OPEN.contains(call.getMethodDescriptor().getFullMethodName())) {
            String auth = headers.get(AUTHORIZATION);
            byte[] given = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, key)) {
                call.close(Status.UNAUTHENTICATED.withDescription(
                        "missing or wrong API key: send metadata 'authorization: Bearer KEY'"), new Metadata());
                return new ServerCall.Listener<>() {};
            }
        }
        return next.startCall(call, headers);
    }
}
