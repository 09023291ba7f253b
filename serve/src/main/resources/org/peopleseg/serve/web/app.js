// The peopleseg page: sends an image (a file, or camera frames) to POST /v1/segment and draws what comes back —
// masks decoded from COCO compressed RLE, boxes, scores — with the round-trip latency. No library, no CDN.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const canvas = $('canvas'), ctx = canvas.getContext('2d');
  const COLORS = [[230, 57, 70], [42, 157, 143], [244, 162, 97], [69, 123, 157], [131, 56, 236], [255, 190, 11],
    [58, 134, 255], [251, 86, 7], [6, 214, 160], [239, 71, 111]];
  let busy = false, cameraStream = null;

  function headers() {
    const key = $('key').value.trim();
    return key ? {'Authorization': 'Bearer ' + key} : {};
  }

  async function loadModels() {
    const select = $('model');
    try {
      const r = await fetch('/v1/models', {headers: headers()});
      const body = await r.json();
      if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
      select.innerHTML = '';
      for (const m of body.models) {
        const o = document.createElement('option');
        o.value = m.name;
        o.textContent = m.name + ' (' + m.architecture + ' ' + m.precision + ', ' + m.input_width + 'x' +
          m.input_height + (m.untrained ? ', UNTRAINED' : '') + ')';
        select.appendChild(o);
      }
      $('models-status').textContent = body.models.length + ' model' + (body.models.length === 1 ? '' : 's');
      $('models-status').className = 'muted';
      document.body.dataset.models = String(body.models.length);
    } catch (e) {
      $('models-status').textContent = 'models: ' + e.message;
      $('models-status').className = 'error';
    }
  }

  // pycocotools' compressed RLE string -> run lengths (column-major, starting with a run of zeros)
  function rleCounts(s) {
    const counts = [];
    let p = 0;
    while (p < s.length) {
      let x = 0, k = 0, more = 1, c = 0;
      while (more) {
        c = s.charCodeAt(p) - 48;
        x |= (c & 0x1f) << (5 * k);
        more = c & 0x20;
        p++;
        k++;
        if (!more && (c & 0x10)) x |= -1 << (5 * k);
      }
      if (counts.length > 2) x += counts[counts.length - 2];
      counts.push(x);
    }
    return counts;
  }

  function draw(source, result, millis) {
    const w = result.width, h = result.height;
    canvas.width = w;
    canvas.height = h;
    ctx.drawImage(source, 0, 0, w, h);
    const frame = ctx.getImageData(0, 0, w, h), px = frame.data;
    let maskPixels = 0;
    result.instances.forEach((inst, n) => {
      if (!inst.segmentation) return;
      const [r, g, b] = COLORS[n % COLORS.length];
      const counts = rleCounts(inst.segmentation.counts);
      let i = 0;
      for (let j = 0; j < counts.length; j++) {
        if (j % 2 === 1) {
          for (let q = i; q < i + counts[j]; q++) {
            const x = Math.floor(q / h), y = q % h, o = 4 * (y * w + x);
            px[o] = (px[o] + r) >> 1;
            px[o + 1] = (px[o + 1] + g) >> 1;
            px[o + 2] = (px[o + 2] + b) >> 1;
            maskPixels++;
          }
        }
        i += counts[j];
      }
    });
    ctx.putImageData(frame, 0, 0);
    ctx.lineWidth = Math.max(2, Math.round(w / 400));
    ctx.font = Math.max(12, Math.round(w / 50)) + 'px system-ui, sans-serif';
    const rows = [];
    result.instances.forEach((inst, n) => {
      const [r, g, b] = COLORS[n % COLORS.length];
      const [x1, y1, x2, y2] = inst.box_xyxy;
      ctx.strokeStyle = 'rgb(' + r + ',' + g + ',' + b + ')';
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      const label = inst.label + ' ' + inst.score.toFixed(2);
      ctx.fillStyle = ctx.strokeStyle;
      ctx.fillRect(x1, Math.max(0, y1 - 18), ctx.measureText(label).width + 8, 18);
      ctx.fillStyle = '#fff';
      ctx.fillText(label, x1 + 4, Math.max(13, y1 - 4));
      rows.push('<tr><td><span class="swatch" style="background:rgb(' + r + ',' + g + ',' + b + ')"></span>' + (n + 1) +
        '</td><td>' + inst.label + '</td><td>' + inst.score.toFixed(3) + '</td><td>' +
        inst.box_xyxy.map((v) => v.toFixed(1)).join(', ') + '</td><td>' + (inst.area || 0) + '</td></tr>');
    });
    $('instances').tBodies[0].innerHTML = rows.join('');
    $('hint').hidden = true;
    const people = result.instances.filter((i) => i.label === 'person').length;
    $('status').textContent = people + (people === 1 ? ' person' : ' people') + ' in ' + w + 'x' + h + ', ' +
      millis.toFixed(0) + ' ms round trip';
    $('status').className = '';
    document.body.dataset.instances = String(result.instances.length);
    document.body.dataset.maskPixels = String(maskPixels);
    document.body.dataset.done = String(Number(document.body.dataset.done || 0) + 1);
  }

  async function segment(blob, name, source) {
    const model = $('model').value;
    const t0 = performance.now();
    const r = await fetch('/v1/segment?format=json&model=' + encodeURIComponent(model) + '&name=' +
      encodeURIComponent(name), {method: 'POST', body: blob, headers: headers()});
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
    draw(source, body, performance.now() - t0);
  }

  async function segmentFile(file) {
    try {
      const bitmap = await createImageBitmap(file);
      await segment(file, file.name, bitmap);
    } catch (e) {
      $('status').textContent = file.name + ': ' + e.message;
      $('status').className = 'error';
      document.body.dataset.error = e.message;
    }
  }

  $('file').addEventListener('change', (e) => e.target.files[0] && segmentFile(e.target.files[0]));
  $('key').addEventListener('change', loadModels);
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) segmentFile(e.dataTransfer.files[0]);
  });

  // live camera: one frame in flight at a time, so a slow model drops frames instead of falling behind
  async function cameraLoop(video) {
    while (cameraStream) {
      if (!busy && video.videoWidth) {
        busy = true;
        const grab = document.createElement('canvas');
        grab.width = video.videoWidth;
        grab.height = video.videoHeight;
        grab.getContext('2d').drawImage(video, 0, 0);
        const blob = await new Promise((res) => grab.toBlob(res, 'image/jpeg', 0.85));
        try {
          await segment(blob, 'camera.jpg', grab);
        } catch (e) {
          $('status').textContent = 'camera: ' + e.message;
          $('status').className = 'error';
        }
        busy = false;
      }
      await new Promise((res) => requestAnimationFrame(res));
    }
  }

  $('camera').addEventListener('click', async () => {
    const button = $('camera'), video = $('video');
    if (cameraStream) {
      cameraStream.getTracks().forEach((t) => t.stop());
      cameraStream = null;
      button.classList.remove('on');
      button.textContent = 'Camera';
      return;
    }
    try {
      cameraStream = await navigator.mediaDevices.getUserMedia({video: true, audio: false});
      video.srcObject = cameraStream;
      await video.play();
      button.classList.add('on');
      button.textContent = 'Stop camera';
      cameraLoop(video);
    } catch (e) {
      cameraStream = null;
      $('status').textContent = 'camera: ' + e.message;
      $('status').className = 'error';
    }
  });

  loadModels();
})();
