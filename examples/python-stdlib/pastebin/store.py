import threading


class Store:
    """Pastes kept in memory, numbered from 1."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pastes = {}
        self._next = 1

    def add(self, text):
        with self._lock:
            paste_id = str(self._next)
            self._pastes[paste_id] = text
            self._next += 1
            return paste_id

    def get(self, paste_id):
        with self._lock:
            return self._pastes.get(paste_id)

    def __len__(self):
        with self._lock:
            return len(self._pastes)
