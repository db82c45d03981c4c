"""A file upload button that knows the size limit in the browser (上传按钮，浏览器端检查大小).

ipywidgets' FileUpload reads any file into the page and sends it over the kernel's websocket; a file larger
than the server's websocket message limit then silently drops the connection, and nothing tells the person.
`SizedUpload` checks the size in the browser first: a file over `UPLOAD_LIMIT_BYTES` is not sent, the
kernel is told its name and size (`on_refused`), and the page says why. A file within the limit is sent as
one binary message (`on_file`). The server's websocket limit (`WEBSOCKET_MAX_BYTES`, used by
`leaderkit.app.serve`) is the upload limit plus room for the message around it, so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable

import anywidget
import traitlets

UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024
WEBSOCKET_MAX_BYTES = UPLOAD_LIMIT_BYTES + 1024 * 1024

_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-button widget-upload lk-upload-button";
  button.type = "button";
  const input = document.createElement("input");
  input.type = "file";
  input.style.display = "none";
  const label = () => {
    button.textContent = model.get("description");
    button.setAttribute("aria-label", model.get("description"));
    input.accept = model.get("accept");
  };
  label();
  model.on("change:description", label);
  model.on("change:accept", label);
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files[0];
    input.value = "";
    if (!file) return;
    if (file.size > model.get("limit")) {
      model.send({ event: "refused", name: file.name, size: file.size });
      return;
    }
    const content = await file.arrayBuffer();
    model.send({ event: "file", name: file.name, size: file.size }, undefined, [content]);
  });
  el.append(button, input);
}
export default { render };
"""


class SizedUpload(anywidget.AnyWidget):
    """An upload button: `on_file(name, content)` for a file within `limit`, `on_refused(name, size)` otherwise."""

    _esm = _ESM
    description = traitlets.Unicode("上传").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    limit = traitlets.Int(UPLOAD_LIMIT_BYTES).tag(sync=True)

    def __init__(self, *, on_file: Callable[[str, bytes], object], on_refused: Callable[[str, int], object],
                 **kwargs):
        super().__init__(**kwargs)
        self._on_file, self._on_refused = on_file, on_refused
        self.on_msg(self._received)

    def _received(self, _widget, content: dict, buffers: list) -> None:
        name = str(content.get("name", ""))[:255]
        if content.get("event") == "file" and buffers:
            data = bytes(buffers[0])
            if len(data) > self.limit:  # a page that skipped the check: the kernel checks too
                self._on_refused(name, len(data))
            else:
                self._on_file(name, data)
        elif content.get("event") == "refused":
            self._on_refused(name, int(content.get("size", 0)))
