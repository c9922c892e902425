#include "rubrica/base/status.h"

namespace rubrica {

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return "ok";
    case ErrorKind::kInvalidArgument: return "invalid_argument";
    case ErrorKind::kUnauthenticated: return "unauthenticated";
    case ErrorKind::kPermissionDenied: return "permission_denied";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kTooLarge: return "too_large";
    case ErrorKind::kRejected: return "rejected";
    case ErrorKind::kRateLimited: return "rate_limited";
    case ErrorKind::kDataLoss: return "data_loss";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kIoError: return "io_error";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return 200;
    case ErrorKind::kInvalidArgument: return 400;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kPermissionDenied: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kTooLarge: return 413;
    case ErrorKind::kRejected: return 422;
    case ErrorKind::kRateLimited: return 429;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kDataLoss:
    case ErrorKind::kIoError:
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

Status Status::Error(ErrorKind kind, std::string code, std::string message,
                     std::string message_es) {
  Status s;
  s.kind_ = kind == ErrorKind::kOk ? ErrorKind::kInternal : kind;
  s.code_ = std::move(code);
  s.message_ = std::move(message);
  s.message_es_ = std::move(message_es);
  return s;
}

std::string Status::message_es() const {
  if (!message_es_.empty()) return message_es_;
  switch (kind_) {
    case ErrorKind::kOk: return "Correcto.";
    case ErrorKind::kInvalidArgument: return "La solicitud no es válida.";
    case ErrorKind::kUnauthenticated: return "Es necesario iniciar sesión.";
    case ErrorKind::kPermissionDenied: return "No tiene permiso para esta acción.";
    case ErrorKind::kNotFound: return "No se encontró lo solicitado.";
    case ErrorKind::kConflict: return "La acción no procede en el estado actual.";
    case ErrorKind::kTooLarge: return "El archivo o la solicitud excede el tamaño permitido.";
    case ErrorKind::kRejected: return "La solicitud fue rechazada por una regla del secretariado.";
    case ErrorKind::kRateLimited: return "Demasiados intentos; espere antes de volver a intentar.";
    case ErrorKind::kDataLoss: return "Se detectó información dañada o alterada.";
    case ErrorKind::kUnavailable: return "Un servicio externo no está disponible; intente más tarde.";
    case ErrorKind::kIoError: return "Error de almacenamiento en el servidor.";
    case ErrorKind::kInternal: return "Error interno del servidor.";
  }
  return "Error interno del servidor.";
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message_ = std::string(context) + ": " + message_;
  return s;
}

Status Status::WithRetryAfter(std::chrono::seconds wait) const {
  Status s = *this;
  s.retry_after_ = wait;
  return s;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return code_ + ": " + message_;
}

}  // namespace rubrica
