#include "draft_render.h"

namespace rubrica::server::api {

Result<workflows::DraftDocument> RenderCurrentDraft(ApiContext& ctx,
                                                    const workflows::ActaRecord& acta) {
  ASSIGN_OR_RETURN(std::string content, ctx.wf.actas().Version(acta.id, acta.current_version));
  ASSIGN_OR_RETURN(workflows::SecretariatRecord s, ctx.wf.secretariats().Get(acta.secretariat_id));
  workflows::DraftRequest req;
  req.acta_id = acta.id;
  req.version = acta.current_version;
  req.kind = std::string(workflows::ActaKindName(acta.kind));
  req.secretariat_name = s.config.name;
  req.content_json = std::move(content);
  return ctx.engine.RenderDraft(req);
}

}  // namespace rubrica::server::api
