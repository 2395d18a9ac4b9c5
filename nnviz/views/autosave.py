"""A window's autosave to its recovery file, with the GUI thread doing no more than copies.

A large network (over ``BIG_AUTOSAVE_PARAMS`` parameters) is written by the file worker.
On the GUI thread the autosave only takes a snapshot: the document's network is copied
into arrays kept from one autosave to the next (:class:`NetworkShadow`: memory already
in use, a few ms for 2 M weights, where fresh memory costs the kernel ~0.1-0.2 s on its
first touch on a virtual machine), and the labs' parts are copied as plain JSON values.
The worker turns the snapshot into text piece by piece and writes it atomically
(a temporary file, then ``os.replace``): the recovery file is the old one or the new one,
never half of one.

While an autosave is being written nothing touches its snapshot: an autosave asked for
meanwhile runs when it is done, with the newest state. A save or discard that removes
the recovery file while an autosave is being written removes that autosave's file too
when it lands (it no longer holds unsaved work). Closing the window waits for an
autosave being written.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np

from nnviz.engine.core.network import Network
from nnviz.engine.files.validate import FormatError
from nnviz.engine.files.workspace import save_workspace
from nnviz.views.background import BIG_AUTOSAVE_PARAMS

if TYPE_CHECKING:
    from nnviz.views.files import FileManager


def _shapes(net: Network | None) -> list[tuple[int, ...]] | None:
    if net is None:
        return None
    return [w.shape for w in net.weights] + [b.shape for b in net.biases]


class NetworkShadow:
    """A copy of the document's network, in arrays kept between autosaves."""

    def __init__(self) -> None:
        self.net: Network | None = None
        self._made: Network | None = None         # by the preparing thread
        self._thread: threading.Thread | None = None

    def prepare(self, net: Network) -> None:
        """Make arrays of ``net``'s shapes in a thread of their own (their first touch is
        the costly part), unless they exist or are being made."""
        self._collect()
        if self._thread is not None or _shapes(self.net) == _shapes(net):
            return
        ws, bs = [w.shape for w in net.weights], [b.shape for b in net.biases]
        acts = list(net.activations)

        def make() -> None:
            self._made = Network([np.zeros(s) for s in ws], [np.zeros(s) for s in bs], acts)

        self._thread = threading.Thread(target=make, name="nnviz-autosave-arrays",
                                        daemon=True)
        self._thread.start()

    def drop(self) -> None:
        """Free the arrays (the network is small again)."""
        self._collect()
        self.net = None

    def take(self, net: Network) -> Network:
        """A copy of ``net`` in the kept arrays (made now if there are none of its shapes).
        It is valid until the next call."""
        self._collect()
        shadow = self.net
        if shadow is None or _shapes(shadow) != _shapes(net):
            self.net = net.copy()
            return self.net
        for dst, src in zip(shadow.weights + shadow.biases, net.weights + net.biases):
            np.copyto(dst, src)
        shadow.activations = list(net.activations)
        shadow.shared_bias = list(net.shared_bias)
        shadow.use_bias = list(net.use_bias)
        shadow.norms = [None if bn is None else bn.copy() for bn in net.norms]
        return shadow

    def _collect(self) -> None:
        """Take the arrays the thread made, once it is done."""
        if self._thread is None or self._thread.is_alive():
            return
        self._thread.join()
        self._thread = None
        made, self._made = self._made, None
        if made is not None and _shapes(made) != _shapes(self.net):
            self.net = made


class Autosaver:
    """The autosave of one window's FileManager."""

    def __init__(self, files: FileManager) -> None:
        self.files = files
        self.shadow = NetworkShadow()
        self.again = False       # asked for while one was being written
        self.generation = 0      # bumped whenever the recovery file is removed
        self.closing = False

    def prepare(self) -> None:
        """The work is unsaved: an autosave will come; get its arrays ready now."""
        net = self.files.doc.network
        if net.n_params() > BIG_AUTOSAVE_PARAMS:
            self.shadow.prepare(net)
        else:
            self.shadow.drop()

    def now(self) -> bool:
        """Write the recovery file if there are unsaved changes (True if written or being
        written); never raises."""
        files, doc = self.files, self.files.doc
        if not doc.is_modified or doc.lesson is None:
            return False
        if files.background.busy:
            self.again = not self.closing  # when the one being written is done
            return False
        from nnviz import __version__

        try:
            if not files.recovery.claim():
                raise OSError("the recovery file is locked by another window")
            path = files.recovery_path
            if doc.network.n_params() > BIG_AUTOSAVE_PARAMS:  # written off the GUI thread
                ws = files.current_workspace(self.shadow.take(doc.network), detached=True)
                generation = self.generation
                files.background.run(lambda: save_workspace(path, ws, __version__),
                                     lambda _r, err: self._written(err, generation))
                return True
            save_workspace(path, files.current_workspace(), __version__)
        except (OSError, FormatError) as e:
            doc.message.emit(f"Autosave failed: {e}")
            return False
        return True

    def _written(self, err: BaseException | None, generation: int) -> None:
        files = self.files
        if err is not None:
            files.doc.message.emit(f"Autosave failed: {err}")
        if generation != self.generation:  # saved or discarded while it was written
            files.recovery.discard(files.recovery_path)
        if self.again and not self.closing:
            self.again = False
            self.now()

    def removed(self) -> None:
        """The recovery file was removed: an autosave being written is stale."""
        self.generation += 1
