// An independent KServe v2 / Triton gRPC client for the server tests: @grpc/grpc-js with @grpc/proto-loader on the
// project's grpc_predict_v2.proto. Calls every RPC the server offers, sends one image as a raw BYTES element, decodes
// the raw outputs (little-endian FP32 / INT64, length-prefixed BYTES) and prints one JSON document on stdout.
//
//   node grpc_client.js HOST:PORT PROTO MODEL IMAGE [API_KEY]
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, protoPath, model, imagePath, apiKey] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoPath, {keepCase: true, longs: String, enums: String, defaults: true});
const inference = grpc.loadPackageDefinition(definition).inference;
const client = new inference.GRPCInferenceService(target, grpc.credentials.createInsecure(),
  {'grpc.max_receive_message_length': 64 << 20, 'grpc.max_send_message_length': 64 << 20});

function metadata() {
  const m = new grpc.Metadata();
  if (apiKey) m.set('authorization', 'Bearer ' + apiKey);
  return m;
}

function call(name, request) {
  return new Promise((resolve) => {
    client[name](request, metadata(), {deadline: Date.now() + 60000}, (err, response) => {
      resolve(err ? {error: {code: err.code, details: err.details}} : response);
    });
  });
}

function decode(tensor, raw) {
  const n = raw.length;
  if (tensor.datatype === 'FP32') {
    const out = [];
    for (let i = 0; i < n; i += 4) out.push(raw.readFloatLE(i));
    return out;
  }
  if (tensor.datatype === 'INT64') {
    const out = [];
    for (let i = 0; i < n; i += 8) out.push(Number(raw.readBigInt64LE(i)));
    return out;
  }
  if (tensor.datatype === 'BYTES') {
    const out = [];
    for (let i = 0; i < n;) {
      const len = raw.readUInt32LE(i);
      out.push(raw.subarray(i + 4, i + 4 + len).toString('utf8'));
      i += 4 + len;
    }
    return out;
  }
  throw new Error('unexpected datatype ' + tensor.datatype);
}

(async () => {
  const image = fs.readFileSync(imagePath);
  const element = Buffer.alloc(4 + image.length);
  element.writeUInt32LE(image.length, 0);
  image.copy(element, 4);
  const result = {
    live: await call('ServerLive', {}),
    ready: await call('ServerReady', {}),
    server: await call('ServerMetadata', {}),
    model: await call('ModelMetadata', {name: model}),
    modelReady: await call('ModelReady', {name: model, version: '1'}),
    unknownModel: await call('ModelMetadata', {name: 'no-such-model'}),
    badInput: await call('ModelInfer', {model_name: model,
      inputs: [{name: 'image', datatype: 'FP32', shape: [1]}], raw_input_contents: [Buffer.alloc(4)]}),
  };
  const response = await call('ModelInfer', {model_name: model, id: 'node-1',
    inputs: [{name: 'image', datatype: 'BYTES', shape: [1]}], raw_input_contents: [element]});
  if (response.error) {
    result.infer = response;
  } else {
    result.infer = {model_name: response.model_name, model_version: response.model_version, id: response.id,
      outputs: {}, shapes: {}};
    response.outputs.forEach((t, i) => {
      result.infer.outputs[t.name] = decode(t, response.raw_output_contents[i]);
      result.infer.shapes[t.name] = t.shape.map(Number);
    });
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  client.close();
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
