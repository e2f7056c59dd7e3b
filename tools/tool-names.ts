// Tool names live in core/ so pure modules (safety rules) share them; re-exported for tools/.
export { TOOL_NAMES, type ToolName } from '../core/tool-names';
