// Commands that write raw disks or rebuild file systems: `dd of=/dev/sda`, `mkfs.*`, `wipefs`,
// partition editors. A disk image inside the workspace is still worth a confirmation.
import { isWithin, resolvePath } from '../path-confinement';
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, pathContextOf, type CommandRule } from './rule-context';

const FORMATTERS = /^(?:mkfs(?:\.\w+)?|mke2fs|mkswap|mkdosfs|mkntfs|wipefs|fdisk|sfdisk|cfdisk|gdisk|sgdisk|parted|blkdiscard|cryptsetup|pvremove|vgremove|lvremove|zpool|badblocks)$/u;

export const diskAndDeviceRule: CommandRule = (command, context) => {
  const paths = pathContextOf(command, context);
  if (command.name === 'dd') {
    const findings: SafetyFinding[] = [];
    for (const word of command.arguments) {
      if (!word.text.startsWith('of=')) continue;
      const target = word.text.slice(3);
      if (target.startsWith('/dev/') && !/^\/dev\/(?:null|zero|stdout|stderr|fd\/\d+)$/u.test(target)) {
        findings.push(finding('disk.dd-device', 'critical', `dd writes straight to the device ${target}; never write to disks directly`));
      }
    }
    return findings;
  }
  if (!FORMATTERS.test(command.name)) return [];
  const targets = operandWords(command.arguments);
  const allInside = targets.length > 0 && targets.every((target) => {
    const resolved = !target.dynamic ? resolvePath(target.text, paths) : undefined;
    return resolved !== undefined && isWithin(context.workspace, resolved.real);
  });
  if (allInside) return [finding('disk.format-image', 'medium', `${command.name} formats ${targets.map((target) => target.text).join(' ')}; confirm it is only a disk image`)];
  return [finding('disk.format', 'critical', `${command.name} formats or repartitions a disk; never format or partition disks`)];
};
