// The playground: sends the form to the console's speech endpoint (the session's cookie, the page's antiforgery token)
// and plays the answer while it arrives: mp3 through MediaSource, appended chunk by chunk; other formats once whole.
"use strict";
(() => {
  const form = document.getElementById("playground");
  if (!form) {
    return;
  }
  const $ = (id) => document.getElementById(id);
  const model = $("pg-model"), voice = $("pg-voice"), language = $("pg-language"), speed = $("pg-speed"), audio = $("pg-audio");

  // Only the chosen model's voices, in the chosen language.
  function filterVoices() {
    let firstVisible = null;
    for (const option of voice.options) {
      const shown = option.dataset.model === model.value && (!language.value || option.dataset.language === language.value);
      option.hidden = !shown;
      option.disabled = !shown;
      if (shown && !firstVisible) {
        firstVisible = option;
      }
    }
    if (voice.selectedOptions.length === 0 || voice.selectedOptions[0].hidden) {
      voice.value = firstVisible ? firstVisible.value : "";
    }
  }
  model.addEventListener("change", filterVoices);
  language.addEventListener("change", filterVoices);
  speed.addEventListener("input", () => { $("pg-speed-value").textContent = Number(speed.value).toFixed(2); });
  filterVoices();

  function showError(message) {
    $("pg-error").textContent = message;
    $("pg-error").hidden = false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("pg-error").hidden = true;
    const text = $("pg-text").value;
    const format = $("pg-format").value;
    const body = { model: model.value, input: text, voice: voice.value, response_format: format, speed: Number(speed.value) };
    if ($("pg-instructions").value.trim()) {
      body.instructions = $("pg-instructions").value.trim();
    }
    const characters = [...text].length;
    const price = Number(model.selectedOptions[0].dataset.priceMicros);
    $("pg-characters").textContent = String(characters);
    $("pg-cost").textContent = "$" + (Math.ceil(characters * price / 1000) / 1e6).toFixed(6);
    $("pg-ttfb").textContent = "…";
    $("pg-bytes").textContent = "0 B";
    form.dataset.state = "speaking"; // "done" once the whole answer has arrived (or failed)
    const started = performance.now();
    let response;
    try {
      response = await fetch(form.dataset.endpoint, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": form.dataset.token },
        body: JSON.stringify(body),
      });
    } catch (error) {
      showError("The request failed: " + error.message);
      form.dataset.state = "done";
      return;
    }
    if (!response.ok) {
      let message = response.status + " " + response.statusText;
      try {
        message = (await response.json()).error.message;
      } catch {
        // not JSON: keep the status line
      }
      showError(message);
      $("pg-ttfb").textContent = "–";
      form.dataset.state = "done";
      return;
    }
    const reader = response.body.getReader();
    let received = 0;
    const onChunk = (chunk) => {
      if (received === 0) {
        $("pg-ttfb").textContent = Math.round(performance.now() - started) + " ms";
      }
      received += chunk.byteLength;
      $("pg-bytes").textContent = received.toLocaleString() + " B";
    };
    if (format === "mp3" && window.MediaSource && MediaSource.isTypeSupported("audio/mpeg")) {
      await playAsItArrives(reader, onChunk);
    } else {
      const chunks = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        onChunk(value);
        chunks.push(value);
      }
      audio.src = URL.createObjectURL(new Blob(chunks, { type: response.headers.get("Content-Type") || "audio/wav" }));
      audio.play().catch(() => { /* autoplay refused: the controls are there */ });
    }
    form.dataset.state = "done";
  });

  // Appends each chunk to a MediaSource buffer as it comes; playback starts with the first one.
  async function playAsItArrives(reader, onChunk) {
    const source = new MediaSource();
    audio.src = URL.createObjectURL(source);
    await new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
    const buffer = source.addSourceBuffer("audio/mpeg");
    const appended = () => new Promise((resolve) => buffer.addEventListener("updateend", resolve, { once: true }));
    let playing = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      onChunk(value);
      buffer.appendBuffer(value);
      await appended();
      if (!playing) {
        playing = true;
        audio.play().catch(() => { /* autoplay refused: the controls are there */ });
      }
    }
    if (source.readyState === "open") {
      source.endOfStream();
    }
  }
})();
