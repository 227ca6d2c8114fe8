"""The program's HTTP client for the district hub (httpx): sessions, push, pull, attachments.

HTTPS in production, with an optional CA bundle for a government intranet's own authority;
plain HTTP only to this computer (tests, a hub on the same PC). Timeouts everywhere; network
failures and the hub's 502/503/504 are retried with exponential backoff. Every push is safe to
repeat (the hub keeps each operation's answer), so a reply lost on the way is simply asked again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from desktop.domain.errors import DomainError
from desktop.files import is_sha256
from desktop.sync.protocol import (
    API_PREFIX,
    BLOB_SIZE_HEADER,
    CHUNK_HASH_HEADER,
    CHUNK_SIZE,
    PROTOCOL_VERSION,
    SESSION_HEADER,
    AuditAnchors,
    AuditReport,
    AuditVerdict,
    BlobStatus,
    EnrolRequest,
    EnrolResponse,
    ErrorCode,
    ErrorResponse,
    OfficeDevice,
    Operation,
    PullResponse,
    PushRequest,
    PushResponse,
    SessionRequest,
    SessionResponse,
    is_loopback,
)

_RETRY_STATUS = {502, 503, 504}


class LocalCode:
    """Codes of failures found on this side, beside the hub's (protocol.ErrorCode)."""

    NETWORK = "network"  # the hub could not be reached, or its answer was cut short
    INVALID_URL = "invalid_url"
    NOT_ENROLLED = "not_enrolled"


class SyncError(DomainError):
    """Sync could not go on; `code` is the hub's error code or a LocalCode, the message Chinese."""

    def __init__(self, message: str, code: str = LocalCode.NETWORK) -> None:
        super().__init__(message)
        self.code = code


def check_url(url: str) -> str:
    """The hub's address, refused when it would send records in clear text over a network."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError("区局同步服务器地址格式不对，应为 https://主机名:端口", LocalCode.INVALID_URL)
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise SyncError("区局同步服务器必须使用 https:// 地址（http:// 只允许本机地址），"
                        "以免投诉人信息在网络上明文传输", LocalCode.INVALID_URL)
    return url


def encode_push(ops: list[Operation]) -> bytes:
    """A push's body: written once by pydantic in UTF-8 (the standard library would escape
    every Chinese character as \\uXXXX: twice the bytes)."""
    return PushRequest(ops=ops).model_dump_json().encode("utf-8")


class HubClient:
    """One connection to the hub; `transport` lets a test put a fault between the two."""

    def __init__(self, url: str, *, token: str | None = None, ca_bundle: str | None = None,
                 timeout: float = 30.0, retries: int = 4, backoff: float = 0.5,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 chunk_size: int = CHUNK_SIZE) -> None:
        self.url = check_url(url)
        headers = {"User-Agent": f"hejie-sync/{PROTOCOL_VERSION}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.url + API_PREFIX, headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            verify=ca_bundle or True, transport=transport)
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep
        self.session: str | None = None
        self.chunk_size = chunk_size

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.end_session()
        self.close()

    # -- plumbing -----------------------------------------------------------------------
    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self.session:
            kwargs.setdefault("headers", {})[SESSION_HEADER] = self.session
        attempt = 0
        while True:
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self._retries:
                    raise SyncError(_network_message(exc)) from exc
            else:
                if response.status_code not in _RETRY_STATUS or attempt >= self._retries:
                    return _checked(response)
            self._sleep(self._backoff * (2 ** attempt))
            attempt += 1

    # -- enrolment and sessions ----------------------------------------------------------
    def enrol(self, code: str, device_name: str) -> EnrolResponse:
        body = EnrolRequest(code=code.strip().upper(), device_name=device_name[:100])
        return EnrolResponse.model_validate_json(
            self._request("POST", "/enrol", json=body.model_dump(mode="json")).content)

    def start_session(self, backlog: int) -> SessionResponse:
        body = SessionRequest(backlog=backlog)
        opened = SessionResponse.model_validate_json(
            self._request("POST", "/sessions", json=body.model_dump(mode="json")).content)
        self.session = opened.session
        return opened

    def end_session(self) -> bool:
        """End the session at the hub. True once the hub has answered (ended, or it no longer
        knew the session); False when the hub could not be reached: the session is then still
        open there, and the caller remembers it to end it at the start of the next round
        (otherwise the hub refuses this device for two minutes, 本设备已有一个同步正在进行)."""
        if self.session is None:
            return True
        session, self.session = self.session, None
        try:
            self._http.delete(f"/sessions/{session}")
        except httpx.HTTPError:
            return False
        return True

    # -- records --------------------------------------------------------------------------
    def push(self, ops: list[Operation]) -> PushResponse:
        return self.push_encoded(encode_push(ops))

    def push_encoded(self, body: bytes) -> PushResponse:
        """Push a batch written by `encode_push` (a round writes the next batch while the hub
        weighs the one before)."""
        response = self._request("POST", "/push", content=body,
                                 headers={"Content-Type": "application/json"})
        return PushResponse.model_validate_json(response.content)

    def pull(self, cursor: str, limit: int) -> PullResponse:
        response = self._request("GET", "/pull", params={"cursor": cursor, "limit": limit})
        return PullResponse.model_validate_json(response.content)

    # -- the office's PCs ------------------------------------------------------------------
    def office_devices(self) -> list[OfficeDevice]:
        response = self._request("GET", "/devices")
        return [OfficeDevice.model_validate(d) for d in response.json()]

    def revoke_device(self, device_id: str) -> OfficeDevice:
        response = self._request("POST", f"/devices/{device_id}/revoke")
        return OfficeDevice.model_validate_json(response.content)

    # -- audit anchors ---------------------------------------------------------------------
    def audit_anchors(self, upto: int) -> AuditAnchors:
        response = self._request("GET", "/audit", params={"upto": upto})
        return AuditAnchors.model_validate_json(response.content)

    def report_audit(self, report: AuditReport) -> AuditVerdict:
        response = self._request("POST", "/audit", json=report.model_dump(mode="json"))
        return AuditVerdict.model_validate_json(response.content)

    # -- attachments ----------------------------------------------------------------------
    def blob_status(self, sha256: str) -> BlobStatus:
        return BlobStatus.model_validate_json(self._request("GET", f"/blobs/{sha256}").content)

    def upload(self, sha256: str, data: bytes) -> BlobStatus:
        """Send a file from where the hub has it up to (resumable), one hashed chunk at a time."""
        status = self.blob_status(sha256)
        while not status.complete:
            offset = status.received
            piece = data[offset:offset + self.chunk_size]
            if not piece:
                raise SyncError(f"附件 {sha256[:12]}… 上传未完成：区局已收到 {offset} 字节，文件只有 "
                                f"{len(data)} 字节", ErrorCode.BLOB_MISMATCH)
            try:
                response = self._request(
                    "PUT", f"/blobs/{sha256}", params={"offset": offset}, content=piece,
                    headers={BLOB_SIZE_HEADER: str(len(data)),
                             CHUNK_HASH_HEADER: hashlib.sha256(piece).hexdigest()})
            except SyncError as exc:
                if exc.code == ErrorCode.BLOB_OFFSET:
                    status = self.blob_status(sha256)  # the hub has more (or less): continue there
                    continue
                raise
            status = BlobStatus.model_validate_json(response.content)
        return status

    def download(self, sha256: str, partial: Path) -> bytes:
        """Fetch a file into `partial`, continuing after what an interrupted download left
        there (the connection may drop mid-file: what arrived stays for the next round); the
        whole is checked against its hash. A record's hash that is not a hash is refused before
        anything touches the disk: it names the file, and must never name a path."""
        if not is_sha256(sha256):
            raise SyncError(f"附件记录的校验值不正确（{sha256[:20]!r}），未下载", ErrorCode.INVALID)
        have = partial.stat().st_size if partial.is_file() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        if self.session:
            headers[SESSION_HEADER] = self.session
        partial.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self._http.stream("GET", f"/blobs/{sha256}/content", headers=headers) as response:
                if not response.is_success:
                    response.read()
                    _checked(response)
                with partial.open("ab") as out:
                    for piece in response.iter_bytes():
                        out.write(piece)
        except httpx.TransportError as exc:
            raise SyncError(_network_message(exc)) from exc
        data = partial.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise SyncError(f"下载的附件 {sha256[:12]}… 与校验值不符，已丢弃，下次同步重新下载",
                            ErrorCode.BLOB_MISMATCH)
        return data


def _checked(response: httpx.Response) -> httpx.Response:
    if response.is_success:
        return response
    try:
        error = ErrorResponse.model_validate_json(response.content).error
    except ValueError:
        raise SyncError(f"区局同步服务器返回错误（HTTP {response.status_code}）",
                        f"http_{response.status_code}") from None
    raise SyncError(error.message, error.code)


def _network_message(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
            return ("无法验证区局同步服务器的证书。若单位内网使用自己的证书机构，"
                    "请在「设置 → 同步」中指定证书文件")
        return "连接不上区局同步服务器（网络不通或服务器未开启），数据已保存在本机，稍后再同步"
    if isinstance(exc, httpx.TimeoutException):
        return "区局同步服务器响应超时，数据已保存在本机，稍后再同步"
    return f"与区局同步服务器的连接中断（{type(exc).__name__}），数据已保存在本机，稍后再同步"
