// Evidence fields on a phone: a "take a photo" button that opens the camera, photos made
// smaller in the browser before they are sent (a phone's 12-megapixel photo is 4-8 MB; the
// reviewer needs to read it, not print it), and the form sent with a progress bar.
// Without JavaScript the plain file input and a normal submit still work.
//
// Marks: <input type=file data-evidence-input> (any form). The texts come translated from
// the server, on this script's tag (data-camera, data-resizing, data-resized, data-sending).
(function () {
  "use strict";

  var script = document.currentScript;
  var TEXT = (script && script.dataset) || {};
  var MAX_SIDE = 2000; // pixels: the longer side of a photo after it is made smaller
  var MAX_BYTES = 1.5 * 1024 * 1024; // a photo above this is re-encoded even when not larger
  var QUALITY = 0.85;
  var RESIZABLE = /^image\/(jpeg|png|webp)$/;

  function text(name, fallback) {
    return TEXT[name] || fallback;
  }

  function sizeLabel(bytes) {
    var units = ["B", "KB", "MB"];
    var value = bytes;
    var index = 0;
    while (value >= 1024 && index < units.length - 1) {
      value /= 1024;
      index += 1;
    }
    return (index ? value.toFixed(1).replace(".", ",") : String(value)) + " " + units[index];
  }

  // --- EXIF: the date and place a photo was taken matter to the reviewer. A canvas drops
  // them, so the original's APP1 (Exif) segment is copied into the new JPEG, its orientation
  // set to 1 ("upright") since the canvas already turned the pixels.

  function exifSegment(bytes) {
    // bytes: Uint8Array of a JPEG. Returns the whole APP1 Exif segment (marker included).
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
      return null;
    }
    var offset = 2;
    while (offset + 4 <= bytes.length && bytes[offset] === 0xff) {
      var marker = bytes[offset + 1];
      var length = (bytes[offset + 2] << 8) | bytes[offset + 3];
      if (marker === 0xda || marker === 0xd9) {
        return null; // start of the image data: no Exif before it
      }
      if (
        marker === 0xe1 &&
        bytes[offset + 4] === 0x45 && // "Exif\0\0"
        bytes[offset + 5] === 0x78 &&
        bytes[offset + 6] === 0x69 &&
        bytes[offset + 7] === 0x66
      ) {
        return bytes.slice(offset, offset + 2 + length);
      }
      offset += 2 + length;
    }
    return null;
  }

  function uprightExif(segment) {
    // The Orientation tag (0x0112) of IFD0 set to 1, in the segment's own byte order.
    var tiff = 10; // marker (2) + length (2) + "Exif\0\0" (6)
    var view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    if (segment.byteLength < tiff + 8) {
      return segment;
    }
    var little = view.getUint16(tiff) === 0x4949;
    var ifd = tiff + view.getUint32(tiff + 4, little);
    if (ifd + 2 > segment.byteLength) {
      return segment;
    }
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i += 1) {
      var entry = ifd + 2 + i * 12;
      if (entry + 12 > segment.byteLength) {
        break;
      }
      if (view.getUint16(entry, little) === 0x0112) {
        view.setUint16(entry + 8, 1, little);
      }
    }
    return segment;
  }

  function withExif(jpegBytes, segment) {
    // SOI, then the Exif segment, then the canvas's JPEG without its JFIF (APP0) segment:
    // the Exif standard wants APP1 first.
    var rest = 2;
    if (jpegBytes[2] === 0xff && jpegBytes[3] === 0xe0) {
      rest = 4 + ((jpegBytes[4] << 8) | jpegBytes[5]);
    }
    var out = new Uint8Array(2 + segment.length + jpegBytes.length - rest);
    out.set(jpegBytes.subarray(0, 2), 0);
    out.set(segment, 2);
    out.set(jpegBytes.subarray(rest), 2 + segment.length);
    return out;
  }

  function readBytes(blob) {
    return new Response(blob).arrayBuffer().then(function (buffer) {
      return new Uint8Array(buffer);
    });
  }

  // The photo as pixels, turned upright as its EXIF orientation says. A bitmap needs no URL
  // (the Content-Security-Policy allows no blob: images); older browsers read a data: URL.
  function loadImage(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return loadImageElement(file);
      });
    }
    return loadImageElement(file);
  }

  function loadImageElement(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var image = new Image();
        image.onload = function () {
          resolve(image);
        };
        image.onerror = function () {
          reject(new Error("not an image"));
        };
        image.src = reader.result;
      };
      reader.onerror = function () {
        reject(new Error("unreadable"));
      };
      reader.readAsDataURL(file);
    });
  }

  function jpegName(name) {
    return /\.jpe?g$/i.test(name) ? name : name.replace(/\.[^.]*$/, "") + ".jpg";
  }

  // A photo made smaller, or the file itself when it is small enough or not a photo.
  function shrink(file) {
    if (!RESIZABLE.test(file.type)) {
      return Promise.resolve(file);
    }
    return loadImage(file)
      .then(function (image) {
        var width = image.naturalWidth || image.width;
        var height = image.naturalHeight || image.height;
        var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
        if (scale === 1 && file.size <= MAX_BYTES) {
          return file;
        }
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        var context = canvas.getContext("2d");
        context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not black
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        if (image.close) {
          image.close(); // a bitmap's memory is freed now, not when collected
        }
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/jpeg", QUALITY);
        }).then(function (blob) {
          if (!blob) {
            return file;
          }
          var original = file.type === "image/jpeg" ? readBytes(file) : Promise.resolve(null);
          return Promise.all([original, readBytes(blob)]).then(function (parts) {
            var segment = parts[0] && exifSegment(parts[0]);
            var bytes = segment ? withExif(parts[1], uprightExif(segment)) : parts[1];
            if (bytes.length >= file.size) {
              return file; // nothing gained: keep the original as taken
            }
            return new File([bytes], jpegName(file.name), {
              type: "image/jpeg",
              lastModified: file.lastModified,
            });
          });
        });
      })
      .catch(function () {
        return file; // a photo the browser cannot read goes as it is; the server decides
      });
  }

  // --- The field: the work in progress is a promise kept on the form, so a submit waits.

  var pending = new WeakMap(); // form -> promise of the files being made smaller

  function ready(form) {
    return (form && pending.get(form)) || Promise.resolve();
  }

  function setFiles(input, files) {
    var transfer = new DataTransfer();
    files.forEach(function (file) {
      transfer.items.add(file);
    });
    input.files = transfer.files;
  }

  function status(input) {
    return input._evidenceTools && input._evidenceTools.querySelector(".evidence-status");
  }

  function process(input) {
    var files = Array.prototype.slice.call(input.files || []);
    if (!files.some(function (file) { return RESIZABLE.test(file.type); })) {
      return Promise.resolve();
    }
    var line = status(input);
    if (line) {
      line.textContent = text("resizing", "Đang thu nhỏ ảnh…");
    }
    var before = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    var work = Promise.all(files.map(shrink)).then(function (smaller) {
      var changed = smaller.some(function (file, index) { return file !== files[index]; });
      if (changed && typeof DataTransfer === "function") {
        setFiles(input, smaller);
      }
      var after = smaller.reduce(function (sum, file) { return sum + file.size; }, 0);
      if (line) {
        line.textContent = changed
          ? text("resized", "Ảnh đã được thu nhỏ:") + " " + sizeLabel(before) + " → " + sizeLabel(after)
          : "";
      }
      input.dispatchEvent(new CustomEvent("evidence:ready", { bubbles: true }));
    });
    var form = input.form;
    if (form) {
      var all = Promise.all([ready(form), work]).then(function () {
        if (pending.get(form) === all) {
          pending.delete(form);
        }
      });
      pending.set(form, all);
    }
    return work;
  }

  function enhance(input) {
    if (input._evidenceTools) {
      return;
    }
    var tools = document.createElement("div");
    tools.className = "evidence-tools";
    // The camera: a second input, without a name (never sent itself), whose photos join the
    // field's files.
    var camera = document.createElement("input");
    camera.type = "file";
    camera.accept = "image/*";
    camera.setAttribute("capture", "environment");
    camera.className = "d-none evidence-camera";
    camera.setAttribute("aria-hidden", "true");
    camera.tabIndex = -1;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-primary evidence-camera-button";
    button.textContent = text("camera", "Chụp ảnh");
    button.addEventListener("click", function () {
      camera.click();
    });
    camera.addEventListener("change", function () {
      var taken = Array.prototype.slice.call(camera.files || []);
      if (!taken.length || typeof DataTransfer !== "function") {
        return;
      }
      var kept = input.multiple ? Array.prototype.slice.call(input.files || []) : [];
      setFiles(input, kept.concat(taken));
      camera.value = "";
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var line = document.createElement("span");
    line.className = "evidence-status text-muted";
    line.setAttribute("role", "status");
    tools.appendChild(button);
    tools.appendChild(camera);
    tools.appendChild(line);
    input.insertAdjacentElement("afterend", tools);
    input._evidenceTools = tools;
  }

  function enhanceAll(root) {
    root.querySelectorAll("input[type=file][data-evidence-input]").forEach(enhance);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-evidence-input]")) {
      process(input);
    }
  });

  // --- Sending: a form with evidence (and not sent by another script) goes by
  // XMLHttpRequest, with a progress bar; the answer replaces the page as a normal submit's
  // would.

  function progressBar(form) {
    var bar = form.querySelector(".upload-progress");
    if (!bar) {
      bar = document.createElement("progress");
      bar.className = "w-100 mt-2 upload-progress";
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", text("sending", "Đang gửi…"));
      var input = document.querySelector('input[type=file][data-evidence-input][form="' + form.id + '"]') ||
        form.querySelector("input[type=file][data-evidence-input]");
      var anchor = (input && input._evidenceTools) || form.lastElementChild;
      if (anchor) {
        anchor.insertAdjacentElement("afterend", bar);
      } else {
        form.appendChild(bar);
      }
    }
    bar.classList.remove("d-none");
    return bar;
  }

  function showPage(xhr) {
    var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
    if (!page.body || !page.querySelector("main")) {
      return false;
    }
    if (xhr.responseURL && xhr.responseURL !== location.href) {
      // Replaced, not pushed: going back must not show this page under the old address.
      history.replaceState(null, "", xhr.responseURL);
    }
    document.title = page.title;
    Array.prototype.slice.call(page.body.attributes).forEach(function (attribute) {
      document.body.setAttribute(attribute.name, attribute.value);
    });
    window.theodoiForms.replaceBody(page);
    enhanceAll(document);
    document.dispatchEvent(new CustomEvent("theodoi:page"));
    window.scrollTo(0, 0);
    return true;
  }

  function formFiles(form) {
    var inputs = Array.prototype.slice.call(form.elements).filter(function (element) {
      return element.matches("input[type=file][data-evidence-input]");
    });
    return inputs.some(function (input) { return input.files && input.files.length; });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    var bar = progressBar(form);
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (button) { button.disabled = true; });
    var xhr = new XMLHttpRequest();
    // The attribute, not form.action: a field named "action" (the self-assessment's buttons)
    // shadows the property.
    xhr.open(
      (form.getAttribute("method") || "post").toUpperCase(),
      new URL(form.getAttribute("action") || "", location.href).href
    );
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        bar.value = Math.round((event.loaded / event.total) * 100);
      }
    });
    function fallback() {
      // The answer could not be shown in place: the browser sends the form itself.
      buttons.forEach(function (button) { button.disabled = false; });
      bar.classList.add("d-none");
      form.dataset.evidenceSent = "plain";
      HTMLFormElement.prototype.submit.call(form);
    }
    xhr.addEventListener("load", function () {
      if (!showPage(xhr)) {
        fallback();
      }
    });
    xhr.addEventListener("error", fallback);
    xhr.send(data);
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.dataset.offlineDraft || form.dataset.evidenceSent === "plain") {
        return; // the offline drafts script sends it, or the plain submit was chosen
      }
      var busy = pending.get(form);
      if (busy) {
        // Still making a photo smaller: send once it is done, exactly as the person asked.
        event.preventDefault();
        event.stopPropagation();
        var submitter = event.submitter;
        busy.then(function () {
          if (form.requestSubmit) {
            form.requestSubmit(submitter || undefined);
          } else {
            form.submit();
          }
        });
        return;
      }
      if (form.hasAttribute("hx-post") || !formFiles(form) || typeof FormData !== "function") {
        return; // htmx sends it (with its own progress bar), or nothing to upload
      }
      event.preventDefault();
      event.stopPropagation();
      send(form, event.submitter);
    },
    true
  );

  enhanceAll(document);
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
  window.theodoiEvidence = { ready: ready, shrink: shrink };
})();
